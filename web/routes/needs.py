"""Officer pages: the agency's needs (new need with the classifier's suggestions, list with
states, detail with the explained shortlist)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, or_, select

from api.deps import SessionDep
from matcher.catalog.taxonomy import CERTIFICATE_TYPES, load_taxonomy
from matcher.clock import today
from matcher.errors import InvalidTransition, MatcherError
from matcher.geography import KECAMATAN_DESA
from matcher.models import Agency, Need, NeedStatus, Plan
from matcher.needs import service
from matcher.needs.repository import NeedRepository
from matcher.needs.schemas import NeedCreate
from matcher.policy import policy_on
from matcher.shortlist.service import shortlist_for_need
from web.auth import CsrfForm, OfficerPage
from web.forms import FormErrors, domain_errors, money, text, validate
from web.pages import paginate
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)

# Ranked offers shown on a need's page (all offers are ranked; the best are explained).
SHORTLIST_ROWS = 100

ACTIONS: dict[str, tuple[str, str]] = {
    "ajukan": ("submit", "Kebutuhan {code} diajukan."),
    "tarik": ("withdraw", "Kebutuhan {code} ditarik kembali menjadi draf."),
    "batalkan": ("cancel", "Kebutuhan {code} dibatalkan."),
}


@router.get("/dinas")
def officer_home(_principal: OfficerPage) -> Response:
    return redirect("/dinas/kebutuhan")


@router.get("/dinas/kebutuhan")
def need_list(
    request: Request,
    session: SessionDep,
    principal: OfficerPage,
    status: Annotated[NeedStatus | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    statement = service.list_statement(session, principal, status=status)
    result = paginate(session, statement.order_by(None).order_by(Need.id.desc()), page)
    counts = dict(
        session.execute(
            select(Need.status, func.count(Need.id))
            .where(Need.agency_id == principal.agency_id)
            .group_by(Need.status)
        ).all()
    )
    agency = session.get(Agency, principal.agency_id) if principal.agency_id else None
    return render(
        request,
        "officer/needs.html",
        {
            "result": result,
            "status": status,
            "statuses": list(NeedStatus),
            "counts": {s.value: int(n) for s, n in counts.items()},
            "agency": agency,
            "taxonomy": load_taxonomy(),
            "base": f"/dinas/kebutuhan?{'status=' + status.value + '&' if status else ''}",
        },
        principal=principal,
        title="Kebutuhan",
    )


def _form_context(
    session: SessionDep, principal: OfficerPage, values: dict[str, Any], errors: FormErrors | None
) -> dict[str, Any]:
    taxonomy = load_taxonomy()
    day = today()
    policy = policy_on(day)
    categories = {
        code: {
            "name": c.name_id,
            "unit": c.unit,
            "certs": list(c.default_required_certs),
            "food": c.food,
        }
        for code, c in taxonomy.items()
    }
    rules = [
        {
            "certificate": rule.certificate,
            "from": rule.effective_from.isoformat(),
            "food": rule.food_categories,
            "categories": sorted(rule.categories),
            "source": rule.source,
        }
        for rule in policy.certificate_rules
    ]
    agency = session.get(Agency, principal.agency_id) if principal.agency_id else None
    return {
        "values": values,
        "errors": errors.fields if errors else {},
        "summary": errors.summary if errors else None,
        "taxonomy": taxonomy,
        "certificate_types": CERTIFICATE_TYPES,
        "kecamatan_desa": KECAMATAN_DESA,
        "categories_json": json.dumps(categories),
        "rules_json": json.dumps(rules),
        "rules": rules,
        "agency": agency,
        "min_date": day.isoformat(),
    }


@router.get("/dinas/kebutuhan/baru")
def need_form(request: Request, session: SessionDep, principal: OfficerPage) -> Response:
    agency = session.get(Agency, principal.agency_id) if principal.agency_id else None
    values = {
        "needed_by": (today() + timedelta(days=7)).isoformat(),
        "region": agency.region if agency and agency.region else "",
        "required_certs": [],
    }
    return render(
        request,
        "officer/need_form.html",
        _form_context(session, principal, values, None),
        principal=principal,
        title="Catat kebutuhan baru",
    )


@router.post("/dinas/kebutuhan/baru")
def create_need(
    request: Request, session: SessionDep, principal: OfficerPage, form: CsrfForm
) -> Response:
    certs = [c for c in form.getlist("required_certs") if isinstance(c, str)]
    custom_certs = text(form, "certs_custom") == "1"
    values: dict[str, Any] = {
        "category": text(form, "category"),
        "description": text(form, "description"),
        "quantity": text(form, "quantity"),
        "unit": text(form, "unit"),
        "max_unit_price": money(form, "max_unit_price"),
        "needed_by": text(form, "needed_by"),
        "region": text(form, "region"),
        "budget_line": text(form, "budget_line"),
        "notes": text(form, "notes"),
        "required_certs": certs if custom_certs else None,
        "submit": text(form, "action") == "ajukan",
    }
    try:
        data = validate(NeedCreate, values)
        with session.begin_nested():
            need = service.create_need(session, principal, data, today=today())
    except FormErrors as errors:
        return _form_again(request, session, principal, values, custom_certs, errors)
    except MatcherError as error:
        return _form_again(request, session, principal, values, custom_certs, domain_errors(error))
    done = (
        "dicatat dan diajukan" if need.status == NeedStatus.SUBMITTED else "disimpan sebagai draf"
    )
    return redirect(f"/dinas/kebutuhan/{need.id}", f"Kebutuhan {need.code} {done}.")


def _form_again(
    request: Request,
    session: SessionDep,
    principal: OfficerPage,
    values: dict[str, Any],
    custom_certs: bool,
    errors: FormErrors,
) -> Response:
    shown = {
        **{k: v for k, v in values.items() if k != "required_certs"},
        "required_certs": values["required_certs"] or [],
        "certs_custom": custom_certs,
    }
    return render(
        request,
        "officer/need_form.html",
        _form_context(session, principal, shown, errors),
        principal=principal,
        status_code=422,
        title="Catat kebutuhan baru",
    )


@router.get("/dinas/kebutuhan/{need_id}")
def need_detail(
    request: Request,
    session: SessionDep,
    principal: OfficerPage,
    need_id: int,
    memenuhi: Annotated[bool, Query()] = False,
) -> Response:
    need = NeedRepository(session).get_readable(principal, need_id)
    shortlist = shortlist_for_need(
        session, need, today=today(), limit=SHORTLIST_ROWS, eligible_only=memenuhi
    )
    entries = shortlist.entries
    plans = session.scalars(
        select(Plan)
        .where(or_(Plan.agency_id == principal.agency_id, Plan.agency_id.is_(None)))
        .order_by(Plan.id.desc())
        .limit(200)
    )
    plans_with_need = [p for p in plans if need.id in (p.need_ids or [])][:5]
    return render(
        request,
        "officer/need_detail.html",
        {
            "need": need,
            "shortlist": shortlist,
            "entries": entries,
            "eligible_only": memenuhi,
            "taxonomy": load_taxonomy(),
            "plans": plans_with_need,
        },
        principal=principal,
        title=f"Kebutuhan {need.code}",
    )


@router.post("/dinas/kebutuhan/{need_id}/{action}")
def need_action(
    session: SessionDep,
    principal: OfficerPage,
    need_id: int,
    action: Literal["ajukan", "tarik", "batalkan"],
    form: CsrfForm,
) -> Response:
    transition, message = ACTIONS[action]
    need = NeedRepository(session).get_writable(principal, need_id)
    back = text(form, "back")
    target = back if back == "/dinas/kebutuhan" else f"/dinas/kebutuhan/{need.id}"
    try:
        service.transition(session, principal, need, transition)
    except InvalidTransition as error:
        return redirect(target, error.detail)
    return redirect(target, message.format(code=need.code))
