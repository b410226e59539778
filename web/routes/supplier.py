"""Supplier pages: overview, offers (price, capacity, active), certificates with expiry
reminders. Orders are on the shared order pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select

from api.deps import SessionDep
from matcher.auth.principal import Principal
from matcher.catalog import certificates as certificate_service
from matcher.catalog import offers as offer_service
from matcher.catalog.schemas import CertificateCreate, OfferUpdate
from matcher.catalog.taxonomy import CERTIFICATE_TYPES, load_taxonomy
from matcher.clock import today
from matcher.errors import MatcherError
from matcher.models import (
    Certificate,
    Offer,
    Order,
    OrderStatus,
    Supplier,
    VerificationStatus,
)
from matcher.policy import policy_on
from web.auth import CsrfForm, SupplierPage
from web.forms import FormErrors, checked, domain_errors, money, text, validate
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)


def _supplier(session: SessionDep, principal: Principal) -> Supplier:
    assert principal.supplier_id is not None  # the role binding guarantees it
    return session.get_one(Supplier, principal.supplier_id)


def certificate_rows(
    certificates: list[Certificate], day: date, warning_days: int
) -> list[dict[str, Any]]:
    """Each certificate with its state: waiting for or refused verification, expired, expiring
    within the warning period, valid."""
    rows = []
    for certificate in certificates:
        days = certificate_service.expires_in_days(certificate, day)
        if certificate.status == VerificationStatus.PENDING:
            state, label = "pending", "Menunggu verifikasi tim pengelola (belum dihitung)"
        elif certificate.status != VerificationStatus.VERIFIED:
            reason = f": {certificate.status_reason}" if certificate.status_reason else ""
            state = certificate.status.value
            label = f"{'Ditolak' if state == 'rejected' else 'Ditangguhkan'}{reason}"
        elif days is None:
            state, label = "valid", "Berlaku (tanpa tanggal kedaluwarsa)"
        elif days < 0:
            state, label = "expired", f"Kedaluwarsa {-days} hari lalu"
        elif days <= warning_days:
            state, label = "expiring", f"Kedaluwarsa dalam {days} hari"
        else:
            state, label = "valid", f"Berlaku sampai {certificate.valid_until}"
        rows.append({"certificate": certificate, "state": state, "label": label, "days": days})
    return rows


@router.get("/penyedia")
def supplier_home(request: Request, session: SessionDep, principal: SupplierPage) -> Response:
    supplier = _supplier(session, principal)
    day = today()
    policy = policy_on(day)
    certs = certificate_rows(list(supplier.certificates), day, policy.certificate_warning_days)
    counts = dict(
        session.execute(
            select(Order.status, func.count(Order.id))
            .where(Order.supplier_id == supplier.id, Order.status != OrderStatus.DRAFT)
            .group_by(Order.status)
        ).all()
    )
    offers = list(supplier.offers)
    return render(
        request,
        "supplier/home.html",
        {
            "supplier": supplier,
            "reminders": [c for c in certs if c["state"] != "valid"],
            "order_counts": {s.value: int(n) for s, n in counts.items()},
            "offer_count": len(offers),
            "pending_offers": sum(1 for o in offers if o.status.value == "pending"),
            "warning_days": policy.certificate_warning_days,
        },
        principal=principal,
        title=supplier.name,
    )


def _offers_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    errors: dict[int, FormErrors] | None = None,
    status_code: int = 200,
) -> Response:
    supplier = _supplier(session, principal)
    offers = list(
        session.scalars(
            select(Offer).where(Offer.supplier_id == supplier.id).order_by(Offer.category, Offer.id)
        )
    )
    return render(
        request,
        "supplier/offers.html",
        {
            "supplier": supplier,
            "offers": offers,
            "taxonomy": load_taxonomy(),
            "errors": errors or {},
        },
        principal=principal,
        status_code=status_code,
        title="Penawaran",
    )


@router.get("/penyedia/penawaran")
def offer_list(request: Request, session: SessionDep, principal: SupplierPage) -> Response:
    return _offers_page(request, session, principal)


@router.post("/penyedia/penawaran/{offer_id}")
def update_offer(
    request: Request, session: SessionDep, principal: SupplierPage, offer_id: int, form: CsrfForm
) -> Response:
    values = {
        "unit_price": money(form, "unit_price"),
        "capacity": text(form, "capacity"),
        "min_order_qty": text(form, "min_order_qty"),
        "lead_time_days": text(form, "lead_time_days"),
        "active": checked(form, "active"),
    }
    try:
        data = validate(OfferUpdate, values)
        with session.begin_nested():
            offer = offer_service.update_offer(session, principal, offer_id, data)
    except FormErrors as errors:
        return _offers_page(request, session, principal, {offer_id: errors}, 422)
    except MatcherError as error:
        if error.status_code == 404:
            raise
        return _offers_page(request, session, principal, {offer_id: domain_errors(error)}, 422)
    return redirect("/penyedia/penawaran", f"Penawaran {offer.name} diperbarui.")


def _certificates_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    supplier = _supplier(session, principal)
    day = today()
    policy = policy_on(day)
    return render(
        request,
        "supplier/certificates.html",
        {
            "supplier": supplier,
            "rows": certificate_rows(
                list(
                    session.scalars(
                        certificate_service.list_statement(session, principal, supplier.id)
                    )
                ),
                day,
                policy.certificate_warning_days,
            ),
            "types": CERTIFICATE_TYPES,
            "values": values or {},
            "errors": errors.fields if errors else {},
            "summary": errors.summary if errors else None,
            "warning_days": policy.certificate_warning_days,
        },
        principal=principal,
        status_code=422 if errors else 200,
        title="Sertifikat",
    )


@router.get("/penyedia/sertifikat")
def certificate_list(request: Request, session: SessionDep, principal: SupplierPage) -> Response:
    return _certificates_page(request, session, principal)


@router.post("/penyedia/sertifikat")
def add_certificate(
    request: Request, session: SessionDep, principal: SupplierPage, form: CsrfForm
) -> Response:
    values = {
        "type": text(form, "type"),
        "number": text(form, "number"),
        "issued_on": text(form, "issued_on"),
        "valid_until": text(form, "valid_until"),
    }
    supplier = _supplier(session, principal)
    try:
        data = validate(CertificateCreate, values)
        with session.begin_nested():
            certificate_service.add_certificate(
                session, principal, supplier.id, data, today=today()
            )
    except FormErrors as errors:
        return _certificates_page(request, session, principal, values, errors)
    except MatcherError as error:
        return _certificates_page(request, session, principal, values, domain_errors(error))
    return redirect(
        "/penyedia/sertifikat",
        f"Sertifikat {values['type']} {values['number']} ditambahkan; dihitung setelah "
        "diverifikasi tim pengelola.",
    )


@router.post("/penyedia/sertifikat/{certificate_id}/hapus")
def remove_certificate(
    session: SessionDep, principal: SupplierPage, certificate_id: int, _form: CsrfForm
) -> Response:
    certificate_service.remove_certificate(session, principal, certificate_id)
    return redirect("/penyedia/sertifikat", "Sertifikat dihapus.")
