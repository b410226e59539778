"""The six-monthly report of the Kepala Dinas Koperasi dan UMKM to the Walikota on the
pasar sistemik (in the manner of Perwali Blitar 24/2024 Ps. 13): summary figures, tables by
agency, category, kecamatan and size class, monthly figures with charts, the suppliers
served, complaints, unmet demand, payment speed, integrity flags and expiring certificates.

The figures are the dashboard's (``matcher.dashboard.service``) for the period, so the
report, the web page and the API never disagree. Written as XLSX (openpyxl, with native
charts; every text cell through the formula-injection guard) or PDF (fpdf2, core fonts, with
matplotlib charts). Any period can be reported; ``semester`` builds the usual one."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.catalog.tabular import guard
from matcher.clock import tanggal
from matcher.dashboard import charts
from matcher.dashboard.service import (
    Dashboard,
    Period,
    compute_dashboard,
    day_start_utc,
    local_day,
)
from matcher.models import Agency, Complaint, Order, Supplier
from matcher.money import format_rupiah
from matcher.orders.documents import latin1

STATUS_LABELS = {
    "open": "terbuka",
    "in_review": "ditinjau",
    "resolved": "selesai",
    "rejected": "ditolak",
}


@dataclass(frozen=True)
class ComplaintRow:
    code: str
    filed_on: date
    order_code: str
    agency: str
    supplier: str
    filed_by: str
    subject: str
    status: str


@dataclass(frozen=True)
class Report:
    title: str
    period: Period
    generated_on: date
    dashboard: Dashboard
    complaints: list[ComplaintRow]


def complaints_in(session: Session, period: Period) -> list[ComplaintRow]:
    """Complaints filed in the period (WIB days), oldest first."""
    rows = session.execute(
        select(
            Complaint.code,
            Complaint.created_at,
            Order.code,
            Agency.name,
            Supplier.name,
            Complaint.filed_by_role,
            Complaint.subject,
            Complaint.status,
        )
        .join(Order, Order.id == Complaint.order_id)
        .join(Agency, Agency.id == Complaint.agency_id)
        .join(Supplier, Supplier.id == Complaint.supplier_id)
        .where(
            # A day of slack each side (SQLite compares naive text); exact in Python below.
            Complaint.created_at >= day_start_utc(period.start) - timedelta(days=1),
            Complaint.created_at < day_start_utc(period.end + timedelta(days=2)),
        )
        .order_by(Complaint.created_at, Complaint.id)
    ).all()
    return [
        ComplaintRow(
            code=code,
            filed_on=local_day(created),
            order_code=order_code,
            agency=agency,
            supplier=supplier,
            filed_by="perangkat daerah" if str(role) in ("officer", "admin") else "penyedia",
            subject=subject,
            status=STATUS_LABELS.get(str(getattr(status, "value", status)), str(status)),
        )
        for code, created, order_code, agency, supplier, role, subject, status in rows
        if local_day(created) in period
    ]


def build_report(session: Session, period: Period, *, today: date | None = None) -> Report:
    if today is None:
        from matcher.clock import today as business_today

        today = business_today()
    dashboard = compute_dashboard(session, period, today=today)
    return Report(
        title=f"Laporan Pasar Sistemik {period.label}",
        period=period,
        generated_on=today,
        dashboard=dashboard,
        complaints=complaints_in(session, period),
    )


def semester_report(session: Session, year: int, half: int, *, today: date | None = None) -> Report:
    return build_report(session, Period.semester(year, half), today=today)


def summary_rows(report: Report) -> list[tuple[str, Any, str]]:
    """(label, value, number format) of the summary figures."""
    d = report.dashboard
    return [
        ("Belanja terealisasi (Rp)", d.total_spend, "#,##0"),
        ("Belanja ke UMK dan koperasi (Rp)", d.umk_spend, "#,##0"),
        ("Porsi UMK dan koperasi", d.umk_share, "0.0%"),
        ("Target porsi UMK dan koperasi", d.target_share, "0.0%"),
        ("Target tercapai", "ya" if d.meets_target else "tidak", "@"),
        ("Belanja ke penyedia lokal (Rp)", d.local_spend, "#,##0"),
        ("Porsi penyedia lokal", d.local_share, "0.0%"),
        ("Belanja ke UMK/koperasi lokal (Rp)", d.local_umk_spend, "#,##0"),
        ("Sudah dibayar (Rp)", d.paid_spend, "#,##0"),
        ("Jumlah pesanan", d.orders, "0"),
        ("Penyedia yang menerima pesanan", d.distinct_suppliers, "0"),
        ("UMK/koperasi yang menerima pesanan", d.distinct_umk_suppliers, "0"),
        ("Porsi 10 penyedia terbesar", d.top10_share, "0.0%"),
        ("Indeks Herfindahl (0-10.000)", round(d.herfindahl, 1), "0.0"),
        ("Median hari serah terima - pembayaran", d.payment_overall.median_days, "0.0"),
        (
            f"Pembayaran terlambat (> {d.payment_target_days} hari)",
            d.payment_overall.late_payments,
            "0",
        ),
        ("Pengaduan", len(report.complaints), "0"),
        ("Catatan integritas", len(d.integrity_flags), "0"),
    ]


# --- XLSX -----------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return guard(value)
    return value


def _sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None],
) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for index, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, min(48, len(header) + 4))
    sheet.freeze_panes = "A2"
    return sheet


_BREAKDOWN_HEADERS = (
    "Kode",
    "Nama",
    "Belanja (Rp)",
    "Belanja UMK (Rp)",
    "Porsi UMK",
    "Belanja lokal (Rp)",
    "Porsi lokal",
    "Pesanan",
)
_BREAKDOWN_FORMATS = (None, None, "#,##0", "#,##0", "0.0%", "#,##0", "0.0%", "0")


def _share_chart(sheet: Worksheet, rows: int, title: str, anchor: str) -> None:
    if not rows:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.title = "Porsi UMK"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.add_data(Reference(sheet, min_col=5, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=rows + 1))
    chart.height, chart.width = max(6.0, 0.6 * rows + 3), 18.0
    sheet.add_chart(chart, anchor)


def write_xlsx(report: Report) -> bytes:
    d = report.dashboard
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Ringkasan"
    summary.append([_cell(report.title)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Periode", _cell(f"{tanggal(d.period.start)} s.d. {tanggal(d.period.end)}")])
    summary.append(["Disusun", _cell(tanggal(report.generated_on))])
    summary.append([])
    for label, value, fmt in summary_rows(report):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=2).number_format = fmt
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 22

    def breakdown(title: str, rows: Sequence[Any]) -> Worksheet:
        return _sheet(
            workbook,
            title,
            _BREAKDOWN_HEADERS,
            [
                (
                    r.key,
                    r.label,
                    r.spend,
                    r.umk_spend,
                    r.umk_share,
                    r.local_spend,
                    r.local_share,
                    r.orders,
                )
                for r in rows
            ],
            _BREAKDOWN_FORMATS,
        )

    sheet = breakdown("Perangkat Daerah", d.by_agency)
    _share_chart(sheet, len(d.by_agency), "Porsi UMK per perangkat daerah", "J2")
    sheet = breakdown("Kategori", d.by_category)
    _share_chart(sheet, len(d.by_category), "Porsi UMK per kategori", "J2")
    breakdown("Kecamatan", d.by_kecamatan)
    breakdown("Kelas Usaha", d.by_size_class)

    monthly = _sheet(
        workbook,
        "Bulanan",
        (
            "Bulan",
            "Nama bulan",
            "Belanja (Rp)",
            "Belanja UMK (Rp)",
            "Porsi UMK",
            "Belanja lokal (Rp)",
            "Porsi lokal",
            "Pesanan",
        ),
        [
            (
                m.month,
                m.label,
                m.spend,
                m.umk_spend,
                m.umk_share,
                m.local_spend,
                m.local_share,
                m.orders,
            )
            for m in d.monthly
        ],
        _BREAKDOWN_FORMATS,
    )
    if d.monthly:
        bars = BarChart()
        bars.title = "Belanja per bulan"
        bars.y_axis.title = "Rp"
        last = len(d.monthly) + 1
        bars.add_data(
            Reference(monthly, min_col=3, max_col=4, min_row=1, max_row=last), titles_from_data=True
        )
        bars.set_categories(Reference(monthly, min_col=2, min_row=2, max_row=last))
        bars.width = 18.0
        monthly.add_chart(bars, "J2")
        line = LineChart()
        line.title = "Porsi UMK per bulan"
        line.y_axis.scaling.min = 0
        line.y_axis.scaling.max = 1
        line.add_data(Reference(monthly, min_col=5, min_row=1, max_row=last), titles_from_data=True)
        line.set_categories(Reference(monthly, min_col=2, min_row=2, max_row=last))
        line.width = 18.0
        monthly.add_chart(line, "J18")

    _sheet(
        workbook,
        "Penyedia",
        (
            "Kode",
            "Nama penyedia",
            "Kelas usaha",
            "Koperasi",
            "UMK",
            "Lokal",
            "Kecamatan",
            "Belanja (Rp)",
            "Porsi",
            "Pesanan",
        ),
        [
            (
                s.code,
                s.name,
                s.size_class,
                "ya" if s.is_koperasi else "tidak",
                "ya" if s.is_umk else "tidak",
                "ya" if s.is_local else "tidak",
                s.kecamatan,
                s.spend,
                s.share,
                s.orders,
            )
            for s in d.suppliers
        ],
        (None, None, None, None, None, None, None, "#,##0", "0.0%", "0"),
    )
    _sheet(
        workbook,
        "Pengaduan",
        (
            "Kode",
            "Tanggal",
            "Pesanan",
            "Perangkat daerah",
            "Penyedia",
            "Diajukan oleh",
            "Perihal",
            "Status",
        ),
        [
            (
                c.code,
                c.filed_on,
                c.order_code,
                c.agency,
                c.supplier,
                c.filed_by,
                c.subject,
                c.status,
            )
            for c in report.complaints
        ],
        (None, "dd/mm/yyyy", None, None, None, None, None, None),
    )
    _sheet(
        workbook,
        "Kebutuhan Tak Terpenuhi",
        (
            "Kategori",
            "Nama kategori",
            "Kebutuhan",
            "Nilai kebutuhan (Rp)",
            "Belum terpenuhi",
            "Nilai belum terpenuhi (Rp)",
            "Tanpa penyedia lokal",
            "Nilai tanpa penyedia lokal (Rp)",
            "Alasan utama",
        ),
        [
            (
                u.category,
                u.label,
                u.needs,
                u.needs_value,
                u.unmet_needs,
                u.unmet_value,
                u.no_local_supplier,
                u.no_local_value,
                u.main_reason or "-",
            )
            for u in d.unmet_by_category
        ],
        (None, None, "0", "#,##0", "0", "#,##0", "0", "#,##0", None),
    )
    _sheet(
        workbook,
        "Pembayaran",
        (
            "Kode",
            "Perangkat daerah",
            "Dibayar",
            "Median hari",
            "Rata-rata hari",
            "Maks. hari",
            "Terlambat",
            "Porsi terlambat",
            "Belum dibayar lewat target",
        ),
        [
            (
                p.key,
                p.label,
                p.paid_orders,
                p.median_days,
                p.average_days,
                p.max_days,
                p.late_payments,
                p.late_share,
                p.unpaid_overdue,
            )
            for p in [*d.payment_speed, d.payment_overall]
        ],
        (None, None, "0", "0.0", "0.0", "0", "0", "0.0%", "0"),
    )
    _sheet(
        workbook,
        "Integritas",
        ("Jenis", "Perangkat daerah", "Penyedia", "Pesanan", "Keterangan"),
        [
            (f.kind, f.agency, f.supplier, ", ".join(f.order_codes), f.detail)
            for f in d.integrity_flags
        ],
        (None, None, None, None, None),
    )
    _sheet(
        workbook,
        "Sertifikat",
        (
            "Kode penyedia",
            "Nama penyedia",
            "Kecamatan",
            "Jenis",
            "Nomor",
            "Berlaku sampai",
            "Sisa hari",
        ),
        [
            (
                c.supplier_code,
                c.supplier_name,
                c.kecamatan,
                c.type,
                c.number,
                c.valid_until,
                c.days_left,
            )
            for c in d.expiring_certificates
        ],
        (None, None, None, None, None, "dd/mm/yyyy", "0"),
    )
    workbook.properties.title = report.title
    workbook.properties.creator = "matcher - pasar sistemik Kota Batu"
    fixed = datetime.combine(report.generated_on, time(0))
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, latin1(f"{self.footer_text} - halaman {self.page_no()}"), align="C")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    text = latin1(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "...") > width - 2:
        text = text[:-1]
    return text + "..."


def _pct(value: float | None) -> str:
    return "-" if value is None else charts.percent(value)


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def write_pdf(report: Report, *, compress: bool = True) -> bytes:
    d = report.dashboard
    pdf = _ReportPDF(orientation="P", unit="mm", format="A4")
    pdf.footer_text = report.title
    pdf.set_compression(compress)
    pdf.set_creation_date(datetime.combine(report.generated_on, time(0), tzinfo=UTC))
    pdf.set_title(latin1(report.title))
    pdf.set_author("Dinas Koperasi dan Usaha Mikro Kota Batu")
    pdf.set_creator("matcher - pasar sistemik Kota Batu")
    pdf.set_producer("matcher")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def text(value: str, *, size: float = 10, style: str = "", align: str = "L") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, 5.5, latin1(value), align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(value: str) -> None:
        pdf.ln(3)
        text(value, size=12, style="B")
        pdf.ln(1)

    def table(
        headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]]
    ) -> None:
        pdf.set_font("Helvetica", "B", 8)
        for header, width in zip(headers, widths, strict=True):
            pdf.cell(width, 6, _fit(pdf, header, width), border=1, align="C")
        pdf.ln()
        pdf.set_font("Helvetica", "", 8)
        if not rows:
            pdf.cell(sum(widths), 6, "Tidak ada data", border=1, align="C")
            pdf.ln()
        for row in rows:
            if pdf.get_y() > pdf.h - 25:
                pdf.add_page()
            for index, (value, width) in enumerate(zip(row, widths, strict=True)):
                align = "L" if index < 2 else "R"
                pdf.cell(width, 5.5, _fit(pdf, value, width), border=1, align=align)
            pdf.ln()

    def image(png: bytes, width: float = 170) -> None:
        pdf.ln(2)
        pdf.image(io.BytesIO(png), w=width)

    text("PEMERINTAH KOTA BATU", size=12, style="B", align="C")
    text("DINAS KOPERASI DAN USAHA MIKRO", size=12, style="B", align="C")
    pdf.ln(2)
    text(report.title.upper(), size=13, style="B", align="C")
    text(
        f"Periode {tanggal(d.period.start)} s.d. {tanggal(d.period.end)}; disusun "
        f"{tanggal(report.generated_on)}",
        size=9,
        align="C",
    )
    text(
        "Laporan Kepala Dinas kepada Walikota tentang pelaksanaan pasar sistemik: belanja "
        "perangkat daerah kepada usaha mikro, kecil dan koperasi (UMK) dan penyedia lokal.",
        size=9,
        align="C",
    )

    heading("1. Ringkasan")
    summary: list[Sequence[str]] = []
    for label, value, fmt in summary_rows(report):
        if isinstance(value, str):
            shown = value
        elif value is None:
            shown = "-"
        elif fmt == "0.0%":
            shown = charts.percent(float(value))
        elif fmt == "#,##0":
            shown = format_rupiah(int(value))
        elif fmt == "0.0":
            shown = _days(float(value))
        else:
            shown = str(value)
        summary.append((label, shown))
    table(("Ukuran", "Nilai"), (120, 60), summary)
    image(charts.png_monthly(d))

    def breakdown(title: str, rows: Sequence[Any]) -> None:
        heading(title)
        table(
            ("Nama", "Belanja", "UMK", "Porsi UMK", "Porsi lokal", "Pesanan"),
            (62, 32, 32, 20, 20, 16),
            [
                (
                    r.label,
                    format_rupiah(r.spend),
                    format_rupiah(r.umk_spend),
                    _pct(r.umk_share),
                    _pct(r.local_share),
                    str(r.orders),
                )
                for r in rows
            ],
        )

    breakdown("2. Belanja per perangkat daerah", d.by_agency)
    if d.by_agency:
        image(
            charts.png_shares(
                [r.label for r in d.by_agency],
                [r.umk_share for r in d.by_agency],
                d.target_share,
                "Porsi UMK/koperasi per perangkat daerah",
            )
        )
    breakdown("3. Belanja per kategori", d.by_category)
    breakdown("4. Belanja per kecamatan penyedia", d.by_kecamatan)
    breakdown("5. Belanja per kelas usaha", d.by_size_class)

    heading("6. Penyedia yang menerima pesanan")
    text(
        f"Porsi 10 penyedia terbesar {charts.percent(d.top10_share)}; indeks Herfindahl "
        f"{d.herfindahl:.0f} dari 10.000.",
        size=9,
    )
    table(
        ("Penyedia", "Kelas", "Kecamatan", "Belanja", "Porsi", "Pesanan"),
        (66, 24, 26, 32, 18, 16),
        [
            (
                s.name,
                "koperasi" if s.is_koperasi else s.size_class,
                "luar kota" if s.kecamatan == "-" else s.kecamatan,
                format_rupiah(s.spend),
                _pct(s.share),
                str(s.orders),
            )
            for s in d.suppliers
        ],
    )

    heading("7. Pengaduan")
    table(
        ("Kode", "Tanggal", "Penyedia", "Perihal", "Status"),
        (30, 24, 46, 62, 20),
        [
            (c.code, c.filed_on.strftime("%d/%m/%Y"), c.supplier, c.subject, c.status)
            for c in report.complaints
        ],
    )

    heading("8. Kebutuhan yang belum dapat dilayani penyedia lokal")
    table(
        ("Kategori", "Kebutuhan", "Tanpa pnyd. lokal", "Nilai", "Alasan utama"),
        (44, 20, 26, 32, 60),
        [
            (
                u.label,
                str(u.needs),
                str(u.no_local_supplier),
                format_rupiah(u.no_local_value),
                u.main_reason or "-",
            )
            for u in d.unmet_by_category
        ],
    )

    heading("9. Kecepatan pembayaran")
    table(
        ("Perangkat daerah", "Dibayar", "Median hari", "Rata-rata", "Terlambat", "Tertunggak"),
        (70, 20, 24, 24, 22, 22),
        [
            (
                p.label,
                str(p.paid_orders),
                _days(p.median_days),
                _days(p.average_days),
                str(p.late_payments),
                str(p.unpaid_overdue),
            )
            for p in [*d.payment_speed, d.payment_overall]
        ],
    )

    heading("10. Catatan integritas")
    kinds = {"rotation": "rotasi", "split": "pemecahan paket", "price": "harga"}
    if not d.integrity_flags:
        text("Tidak ada catatan.", size=9)
    for flag in d.integrity_flags:
        text(f"[{kinds[flag.kind]}] {flag.agency} - {flag.supplier}: {flag.detail}", size=8)

    heading("11. Sertifikat yang akan kedaluwarsa")
    table(
        ("Penyedia", "Jenis", "Nomor", "Berlaku s.d.", "Sisa hari"),
        (70, 18, 40, 28, 26),
        [
            (
                c.supplier_name,
                c.type,
                c.number,
                c.valid_until.strftime("%d/%m/%Y"),
                str(c.days_left),
            )
            for c in d.expiring_certificates
        ],
    )
    return bytes(pdf.output())


WRITERS: dict[str, tuple[Callable[[Report], bytes], str]] = {
    "xlsx": (
        write_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (write_pdf, "application/pdf"),
}


def render(report: Report, fmt: str) -> tuple[bytes, str]:
    """The report as bytes in ``xlsx`` or ``pdf`` and its media type."""
    writer, media_type = WRITERS[fmt]
    return writer(report), media_type


def filename(report: Report, fmt: str) -> str:
    p = report.period
    return f"laporan-pasar-sistemik-{p.start.isoformat()}-{p.end.isoformat()}.{fmt}"
