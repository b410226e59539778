"""Agencies visible to a principal. Never commits.

Officers read only their own agency; admin, planners and viewers read all of them; supplier
users read every agency too, but the API shows them only the public fields (code, name, year,
address), never budgets."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.errors import NotFound
from matcher.models import Agency, Role


def sees_budgets(principal: Principal) -> bool:
    """Budgets are for the tim pengelola, planners, viewers and the agency's own officers."""
    return principal.role in (Role.ADMIN, Role.PLANNER, Role.VIEWER, Role.OFFICER)


class AgencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Agency]:
        statement = select(Agency)
        if principal.role == Role.OFFICER:
            return statement.where(Agency.id == principal.agency_id)
        return statement

    def get_readable(self, principal: Principal, agency_id: int) -> Agency:
        agency = self.session.scalar(self.readable(principal).where(Agency.id == agency_id))
        if agency is None:
            raise NotFound(f"Perangkat daerah {agency_id} tidak ditemukan")
        return agency
