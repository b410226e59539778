"""Tim pengelola (admin) pages: overview, verification queue, complaints queue, catalogue
import; the dashboard of local spending (also for planners and viewers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from starlette.datastructures import UploadFile

from api.deps import SessionDep
from matcher.catalog import certificates as certificate_service
from matcher.catalog.importer import import_catalogue
from matcher.catalog.tabular import read_bytes
from matcher.catalog.taxonomy import load_taxonomy
from matcher.catalog.verification import VerificationAction, apply_action
from matcher.clock import today
from matcher.config import get_settings
from matcher.dashboard.cache import DASHBOARDS
from matcher.dashboard.charts import dashboard_svgs
from matcher.dashboard.service import Period
from matcher.errors import MatcherError, NotFound, RowErrors
from matcher.models import (
    Agency,
    Certificate,
    Complaint,
    ComplaintStatus,
    Offer,
    Supplier,
    VerificationStatus,
)
from matcher.models.base import utcnow
from matcher.orders import complaints
from matcher.reports.semester import filename as report_filename
from matcher.reports.semester import render as render_report
from matcher.reports.semester import semester_report
from web.auth import AdminPage, CsrfForm, ReaderPage
from web.forms import text
from web.templating import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/admin")
def admin_home(request: Request, session: SessionDep, principal: AdminPage) -> Response:
    pending_suppliers = session.scalar(
        select(func.count(Supplier.id)).where(Supplier.status == VerificationStatus.PENDING)
    )
    pending_offers = session.scalar(
        select(func.count(Offer.id)).where(Offer.status == VerificationStatus.PENDING)
    )
    pending_certificates = session.scalar(
        select(func.count(Certificate.id)).where(Certificate.status == VerificationStatus.PENDING)
    )
    open_complaints = session.scalar(
        select(func.count(Complaint.id)).where(
            Complaint.status.in_([ComplaintStatus.OPEN, ComplaintStatus.IN_REVIEW])
        )
    )
    day = today()
    return render(
        request,
        "admin/home.html",
        {
            "pending_suppliers": int(pending_suppliers or 0),
            "pending_offers": int(pending_offers or 0),
            "pending_certificates": int(pending_certificates or 0),
            "open_complaints": int(open_complaints or 0),
            "ocds_url": f"/api/v1/opendata/ocds?start={day.year}-01-01&end={day.isoformat()}",
            "year": day.year,
            "half": 1 if day.month <= 6 else 2,
        },
        principal=principal,
        title="Tim pengelola",
    )


@router.get("/admin/verifikasi")
def verification_queue(request: Request, session: SessionDep, principal: AdminPage) -> Response:
    suppliers = list(
        session.scalars(
            select(Supplier)
            .where(Supplier.status == VerificationStatus.PENDING)
            .order_by(Supplier.id)
            .limit(100)
        )
    )
    offers = list(
        session.scalars(
            select(Offer)
            .join(Offer.supplier)
            .where(Offer.status == VerificationStatus.PENDING)
            .order_by(Offer.id)
            .limit(100)
        )
    )
    certificates = list(
        session.scalars(
            certificate_service.review_statement(VerificationStatus.PENDING)
            .options(selectinload(Certificate.supplier))
            .limit(100)
        )
    )
    return render(
        request,
        "admin/verification.html",
        {
            "suppliers": suppliers,
            "offers": offers,
            "certificates": certificates,
            "taxonomy": load_taxonomy(),
            "day": today(),
        },
        principal=principal,
        title="Antrian verifikasi",
    )


@router.post("/admin/verifikasi/{entity}/{entity_id}")
def verify(
    session: SessionDep, principal: AdminPage, entity: str, entity_id: int, form: CsrfForm
) -> Response:
    item: Supplier | Offer | Certificate | None
    if entity == "penyedia":
        item = session.get(Supplier, entity_id)
    elif entity == "penawaran":
        item = session.get(Offer, entity_id)
    elif entity == "sertifikat":
        item = session.get(Certificate, entity_id)
    else:
        raise NotFound("Jenis data tidak dikenal")
    if item is None:
        raise NotFound(f"Data {entity_id} tidak ditemukan")
    action = (
        VerificationAction.VERIFY if text(form, "action") == "verify" else VerificationAction.REJECT
    )
    try:
        apply_action(session, principal, item, action, text(form, "reason"))
    except MatcherError as error:
        session.rollback()
        return redirect(f"/admin/verifikasi#{entity}-{entity_id}", f"Gagal: {error.detail}")
    verb = "diverifikasi" if action == VerificationAction.VERIFY else "ditolak"
    name = (
        f"Sertifikat {item.type.value} {item.number}"
        if isinstance(item, Certificate)
        else item.name
    )
    return redirect("/admin/verifikasi", f"{name} {verb}.")


@router.get("/admin/pengaduan")
def complaint_queue(
    request: Request,
    session: SessionDep,
    principal: AdminPage,
    status: Annotated[ComplaintStatus | None, Query()] = None,
) -> Response:
    statement = complaints.list_statement(principal, status=status)
    rows = list(session.scalars(statement.order_by(None).order_by(Complaint.id.desc()).limit(200)))
    suppliers = {
        s.id: s
        for s in session.scalars(
            select(Supplier).where(Supplier.id.in_({c.supplier_id for c in rows}))
        )
    }
    agencies = {
        a.id: a
        for a in session.scalars(select(Agency).where(Agency.id.in_({c.agency_id for c in rows})))
    }
    return render(
        request,
        "admin/complaints.html",
        {
            "rows": rows,
            "suppliers": suppliers,
            "agencies": agencies,
            "status": status,
            "statuses": list(ComplaintStatus),
        },
        principal=principal,
        title="Pengaduan",
    )


@router.post("/admin/pengaduan/{complaint_id}")
def handle_complaint(
    session: SessionDep, principal: AdminPage, complaint_id: int, form: CsrfForm
) -> Response:
    action = text(form, "action") or ""
    if action not in ("review", "resolve", "reject"):
        return redirect("/admin/pengaduan", "Tindakan tidak dikenal.")
    try:
        complaint = complaints.transition(
            session,
            principal,
            complaint_id,
            action,
            resolution=text(form, "resolution"),
            now=utcnow(),
        )
    except MatcherError as error:
        session.rollback()
        if error.status_code == 404:
            raise
        return redirect(f"/admin/pengaduan#pengaduan-{complaint_id}", f"Gagal: {error.detail}")
    return redirect(
        "/admin/pengaduan", f"Pengaduan {complaint.code} kini {complaint.status.value}."
    )


@router.get("/admin/impor")
def import_form(request: Request, principal: AdminPage) -> Response:
    return render(
        request,
        "admin/import.html",
        {"report": None, "error": None, "max_mb": get_settings().max_upload_bytes // (1024 * 1024)},
        principal=principal,
        title="Impor katalog",
    )


@router.post("/admin/impor")
def import_upload(
    request: Request, session: SessionDep, principal: AdminPage, form: CsrfForm
) -> Response:
    upload = form.get("file")
    settings = get_settings()
    context: dict[str, Any] = {
        "report": None,
        "error": None,
        "max_mb": settings.max_upload_bytes // (1024 * 1024),
    }
    status = 200
    if not isinstance(upload, UploadFile) or not upload.filename:
        context["error"], status = "Pilih berkas .csv, .xlsx atau .zip.", 422
    else:
        data = upload.file.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            context["error"], status = f"Berkas lebih dari {context['max_mb']} MB.", 413
        else:
            try:
                source = read_bytes(upload.filename, data)
                with session.begin_nested():
                    report = import_catalogue(
                        session, source, actor_user_id=principal.user_id, today=today()
                    )
                context["report"] = report
                if not report.readable:
                    context["error"], status = "Berkas tidak dapat dibaca.", 422
            except RowErrors as errors:
                context["error"], status = str(errors), 422
    return render(
        request,
        "admin/import.html",
        context,
        principal=principal,
        status_code=status,
        title="Impor katalog",
    )


@router.get("/admin/laporan")
def semester_report_download(
    session: SessionDep,
    _principal: ReaderPage,
    year: Annotated[int, Query(ge=2000, le=2100)],
    half: Annotated[int, Query(ge=1, le=2)],
    format: Annotated[Literal["xlsx", "pdf"], Query()] = "xlsx",
) -> Response:
    """The six-monthly report, as the API serves it, for the logged-in page user."""
    report = semester_report(session, year, half)
    content, media_type = render_report(report, format)
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{report_filename(report, format)}"'
        },
    )


def _period(start: str | None, end: str | None, day: date) -> Period:
    if start and end:
        return Period.parse(start, end)
    return Period.year(day.year)


@router.get("/admin/dasbor")
def dashboard(
    request: Request,
    session: SessionDep,
    principal: ReaderPage,
    mulai: Annotated[str | None, Query(max_length=10)] = None,
    sampai: Annotated[str | None, Query(max_length=10)] = None,
    perangkat: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    day = today()
    try:
        period = _period(mulai, sampai, day)
    except MatcherError as error:
        period = Period.year(day.year)
        period_error: str | None = error.detail
    else:
        period_error = None
    figures = DASHBOARDS.get(session, period, agency_id=perangkat, today=day).dashboard
    agencies = list(session.scalars(select(Agency).order_by(Agency.code)))
    return render(
        request,
        "admin/dashboard.html",
        {
            "d": figures,
            "charts": dashboard_svgs(figures),
            "agencies": agencies,
            "agency_id": perangkat,
            "period_error": period_error,
            "year": day.year,
            "half": 1 if day.month <= 6 else 2,
            "ocds_url": f"/api/v1/opendata/ocds?start={figures.period.start.isoformat()}"
            f"&end={figures.period.end.isoformat()}",
        },
        principal=principal,
        title="Dasbor belanja lokal",
    )
