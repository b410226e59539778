"""User accounts visible to a principal: only the tim pengelola manages accounts; for anyone
else every account reads as absent. Never commits."""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from matcher.auth.principal import Principal
from matcher.errors import NotFound
from matcher.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[User]:
        statement = select(User)
        if principal.is_admin:
            return statement
        return statement.where(false())

    def get_readable(self, principal: Principal, user_id: int) -> User:
        user = self.session.scalar(self.readable(principal).where(User.id == user_id))
        if user is None:
            raise NotFound(f"Pengguna {user_id} tidak ditemukan")
        return user
