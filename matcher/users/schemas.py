"""Validated input for user accounts (API request bodies)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from matcher.models.enums import Role

# The policy (length, letters and digits) is checked by the service so its problem names the
# field; the cap only keeps hashing cheap.
Password = Annotated[str, Field(min_length=1, max_length=256)]
FullName = Annotated[str, Field(max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UserCreate(_Strict):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    full_name: FullName = ""
    role: Role
    password: Password = Field(
        description="At least 10 characters with a letter and a digit",
        json_schema_extra={"format": "password", "writeOnly": True},
    )
    agency_id: int | None = Field(default=None, description="Required for officers only")
    supplier_id: int | None = Field(default=None, description="Required for supplier users only")


class UserUpdate(_Strict):
    """Partial update. Changing the role re-checks the binding: send ``agency_id`` or
    ``supplier_id`` (or null to drop one) together with the new role."""

    full_name: FullName | None = None
    is_active: bool | None = None
    role: Role | None = None
    agency_id: int | None = None
    supplier_id: int | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password = Field(json_schema_extra={"format": "password", "writeOnly": True})
    new_password: Password = Field(
        description="At least 10 characters with a letter and a digit",
        json_schema_extra={"format": "password", "writeOnly": True},
    )
