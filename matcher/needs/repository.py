"""Needs visible to a principal: officers their own agency's, admin/planner/viewer all."""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.errors import NotFound
from matcher.models import Need, Role


class NeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Need]:
        statement = select(Need)
        if principal.role in (Role.ADMIN, Role.PLANNER, Role.VIEWER):
            return statement
        if principal.role == Role.OFFICER:
            return statement.where(Need.agency_id == principal.agency_id)
        return statement.where(false())

    def get_readable(self, principal: Principal, need_id: int) -> Need:
        need = self.session.scalar(self.readable(principal).where(Need.id == need_id))
        if need is None:
            raise NotFound(f"Kebutuhan {need_id} tidak ditemukan")
        return need

    def get_writable(self, principal: Principal, need_id: int) -> Need:
        """Officers change their own agency's needs, admin any; others read it as absent."""
        need = self.session.get(Need, need_id)
        if need is None or not (principal.is_admin or principal.belongs_to_agency(need.agency_id)):
            raise NotFound(f"Kebutuhan {need_id} tidak ditemukan")
        return need
