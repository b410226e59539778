"""certificate verification: certificates carry a verification status

Certificates recorded before this revision were entered by the tim pengelola (imports, the
demo data) or accepted without review; they are marked verified so nothing that counted stops
counting. From now on one a supplier adds itself waits as pending.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("pending", "verified", "rejected", "suspended")


def _status_type() -> sa.Enum:
    return sa.Enum(
        *STATUSES,
        name="certificate_status",
        native_enum=False,
        create_constraint=True,
        length=32,
    )


def _entity_check(values: Sequence[str]) -> str:
    return "entity_type IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", _status_type(), nullable=False, server_default="verified")
        )
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_certificate_status"), ["status"], unique=False)
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.alter_column("status", server_default="pending")
    with op.batch_alter_table("verification_event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_verification_event_verifiable_entity"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_verification_event_verifiable_entity"),
            _entity_check(("supplier", "offer", "certificate")),
        )


def downgrade() -> None:
    op.execute("DELETE FROM verification_event WHERE entity_type = 'certificate'")
    with op.batch_alter_table("verification_event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_verification_event_verifiable_entity"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_verification_event_verifiable_entity"), _entity_check(("supplier", "offer"))
        )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_status"))
        batch_op.drop_constraint(op.f("ck_certificate_certificate_status"), type_="check")
        batch_op.drop_column("status_reason")
        batch_op.drop_column("status")
