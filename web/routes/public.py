"""Public pages (no log-in): home with the headline figures, the verified catalogue, log-in
and log-out."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from api.deps import SessionDep
from matcher.auth.service import issue_token, log_out, log_out_everywhere
from matcher.catalog.offers import public_statement
from matcher.catalog.taxonomy import load_taxonomy
from matcher.clock import today
from matcher.dashboard.cache import DASHBOARDS
from matcher.dashboard.service import Period
from matcher.errors import TooManyRequests, Unauthorized
from matcher.geography import KECAMATAN_DESA, OUTSIDE
from matcher.models.enums import SizeClass
from web.auth import (
    LANDING,
    SESSION_COOKIE,
    CsrfForm,
    MaybePrincipal,
    clear_session_cookie,
    safe_next,
    set_session_cookie,
)
from web.forms import text
from web.pages import paginate
from web.public_figures import headline_figures
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, principal: MaybePrincipal) -> Response:
    day = today()
    period = Period(date(day.year, 1, 1), day)
    spending = DASHBOARDS.get(session, period, agency_id=None, today=day).dashboard
    return render(
        request,
        "public/home.html",
        {
            "figures": headline_figures(session),
            "spending": spending,
            "categories": load_taxonomy(),
            "ocds_url": f"/api/v1/opendata/ocds?start={period.start.isoformat()}"
            f"&end={period.end.isoformat()}",
        },
        principal=principal,
        title="Beranda",
    )


@router.get("/katalog")
def catalogue(
    request: Request,
    session: SessionDep,
    principal: MaybePrincipal,
    kategori: Annotated[str | None, Query(max_length=32)] = None,
    kecamatan: Annotated[str | None, Query(max_length=120)] = None,
    ukuran: Annotated[str | None, Query(max_length=16)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    taxonomy = load_taxonomy()
    category = kategori.upper() if kategori and kategori.upper() in taxonomy else None
    place = kecamatan if kecamatan in (*KECAMATAN_DESA, OUTSIDE) else None
    size = SizeClass(ukuran) if ukuran in {s.value for s in SizeClass} else None
    search = q.strip() if q and q.strip() else None
    statement = public_statement(category=category, kecamatan=place, size_class=size, search=search)
    result = paginate(session, statement, page)
    filters = {
        k: v
        for k, v in {
            "kategori": category,
            "kecamatan": place,
            "ukuran": size.value if size else None,
            "q": search,
        }.items()
        if v
    }
    base = "/katalog?" + (urlencode(filters) + "&" if filters else "")
    matching = statement.order_by(None).subquery()
    suppliers = session.scalar(select(func.count(func.distinct(matching.c.supplier_id))))
    return render(
        request,
        "public/catalogue.html",
        {
            "result": result,
            "taxonomy": taxonomy,
            "kecamatan_options": [*KECAMATAN_DESA, OUTSIDE],
            "sizes": list(SizeClass),
            "filters": filters,
            "base": base,
            "supplier_count": int(suppliers or 0),
        },
        principal=principal,
        title="Katalog UMKM dan koperasi terverifikasi",
    )


@router.get("/masuk")
def login_form(
    request: Request,
    principal: MaybePrincipal,
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    if principal is not None:
        return redirect(safe_next(next) or LANDING[principal.role])
    return render(
        request,
        "public/login.html",
        {"next": safe_next(next) or "", "error": None, "email": ""},
        title="Masuk",
    )


@router.post("/masuk")
def login(request: Request, session: SessionDep, form: CsrfForm) -> Response:
    email = text(form, "email") or ""
    password = form.get("password")
    target = safe_next(text(form, "next"))
    if not email or not isinstance(password, str) or not password:
        return render(
            request,
            "public/login.html",
            {"next": target or "", "error": "Isi e-mail dan kata sandi.", "email": email},
            status_code=400,
            title="Masuk",
        )
    # The client address counts towards the throttle as on the API's token endpoint: many
    # failures from one address lock it, whichever accounts it tries.
    address = request.client.host if request.client else None
    try:
        token, expires, user = issue_token(session, email, password, address=address)
    except TooManyRequests as error:
        locked = render(
            request,
            "public/login.html",
            {"next": target or "", "error": error.detail, "email": email},
            status_code=429,
            title="Masuk",
        )
        locked.headers["Retry-After"] = str(error.retry_after)
        return locked
    except Unauthorized as error:
        return render(
            request,
            "public/login.html",
            {"next": target or "", "error": error.detail, "email": email},
            status_code=401,
            title="Masuk",
        )
    response = redirect(
        target or LANDING[user.role], f"Selamat datang, {user.full_name or user.email}."
    )
    set_session_cookie(request, response, token, expires)
    return response


@router.post("/keluar")
def logout(
    request: Request, session: SessionDep, _form: CsrfForm, principal: MaybePrincipal
) -> Response:
    """Log-out revokes this browser's session token on the server, so a copied cookie stops
    working; the account's sessions elsewhere go on. Then the cookie goes."""
    token = request.cookies.get(SESSION_COOKIE)
    if principal is not None and token:
        log_out(session, token)
    response = redirect("/", "Anda telah keluar.")
    clear_session_cookie(response)
    return response


@router.post("/keluar/semua")
def logout_everywhere(session: SessionDep, _form: CsrfForm, principal: MaybePrincipal) -> Response:
    """Ends every session of the account (other browsers and devices, API tokens too)."""
    if principal is not None and principal.user_id is not None:
        log_out_everywhere(session, principal.user_id)
    response = redirect("/", "Anda telah keluar dari semua perangkat.")
    clear_session_cookie(response)
    return response
