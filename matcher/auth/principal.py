"""Who is acting: the role and the agency or supplier the user is bound to.

Services take a ``Principal`` rather than a ``User`` row so the CLI (acting as the system)
and the API share the same authorisation code."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.models.enums import Role


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    role: Role
    agency_id: int | None = None
    supplier_id: int | None = None
    email: str = "system"

    @classmethod
    def system(cls) -> Principal:
        """The command line acting with administrator rights (no user account)."""
        return cls(user_id=None, role=Role.ADMIN, email="system")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def owns_supplier(self, supplier_id: int) -> bool:
        return self.role == Role.SUPPLIER and self.supplier_id == supplier_id

    def belongs_to_agency(self, agency_id: int) -> bool:
        return self.role == Role.OFFICER and self.agency_id == agency_id

    @property
    def sees_whole_catalogue(self) -> bool:
        """Admin, planners and viewers see every supplier whatever its status; officers only
        verified ones; suppliers only their own."""
        return self.role in (Role.ADMIN, Role.PLANNER, Role.VIEWER)
