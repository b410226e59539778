"""/api/v1/users: accounts, managed by the tim pengelola; every user changes their own
password at ``/users/me/password``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from api.deps import AdminPrincipal, CurrentPrincipal, SessionDep, require_roles
from api.pagination import Page, PageDep, page_of
from api.problems import responses
from api.users.schemas import UserRead
from matcher.models import Role
from matcher.users import service
from matcher.users.repository import UserRepository
from matcher.users.schemas import PasswordChange, UserCreate, UserUpdate

router = APIRouter(prefix="/users", tags=["Pengguna (users)"])


@router.get("", response_model=Page[UserRead], responses=responses(401, 403, 422))
def list_users(
    session: SessionDep,
    principal: AdminPrincipal,
    page: PageDep,
    role: Role | None = None,
    agency_id: int | None = None,
    supplier_id: int | None = None,
    is_active: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Cari e-mail atau nama")] = None,
) -> Page[UserRead]:
    statement = service.list_statement(
        session,
        principal,
        role=role,
        agency_id=agency_id,
        supplier_id=supplier_id,
        is_active=is_active,
        search=q,
    )
    return page_of(session, statement, page, UserRead.model_validate)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=responses(401, 403, 404, 409, 422),
    dependencies=[Depends(require_roles(Role.ADMIN))],
)
def create_user(body: UserCreate, session: SessionDep) -> UserRead:
    """An officer needs ``agency_id``, a supplier user ``supplier_id``, other roles neither.
    A weak password or a wrong binding is a problem naming the field."""
    user = service.create_user(
        session,
        email=body.email,
        role=body.role,
        password=body.password,
        agency_id=body.agency_id,
        supplier_id=body.supplier_id,
        full_name=body.full_name,
    )
    return UserRead.model_validate(user)


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=responses(401, 422),
)
def change_own_password(
    body: PasswordChange, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Change your own password; the current one is required."""
    service.change_own_password(session, principal, body.current_password, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{user_id}", response_model=UserRead, responses=responses(401, 403, 404, 422))
def get_user(user_id: int, session: SessionDep, principal: AdminPrincipal) -> UserRead:
    return UserRead.model_validate(UserRepository(session).get_readable(principal, user_id))


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    responses=responses(401, 403, 404, 409, 422),
)
def update_user(
    user_id: int, body: UserUpdate, session: SessionDep, principal: AdminPrincipal
) -> UserRead:
    """Change name, active flag or role binding. Deactivating an account makes its tokens
    stop working at once."""
    return UserRead.model_validate(service.update_user(session, principal, user_id, body))
