"""Charts of the dashboard: accessible inline SVG for the web pages (no script, no external
file: the machine has no internet) and matplotlib PNG images for the PDF report.

Every SVG is ``role="img"`` with a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``) and every bar or point carries its own ``<title>`` with the figure, so a
screen reader and a mouse hover both give the numbers. Colours have enough contrast on white
and the UMK part is also told apart by its label, not colour alone."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from html import escape

from matcher.dashboard.service import Dashboard
from matcher.money import format_rupiah

UMK_COLOUR = "#1b6e3a"  # dark green
OTHER_COLOUR = "#b8c4bc"
BAR_COLOUR = "#1f5f8b"
TARGET_COLOUR = "#b3261e"
TEXT_COLOUR = "#1c1c1c"
_ids = itertools.count(1)


def percent(value: float) -> str:
    """``0.4567`` -> ``"45,7%"``."""
    return f"{value * 100:.1f}%".replace(".", ",")


def _short_rupiah(amount: float) -> str:
    if abs(amount) >= 1_000_000_000:
        return f"Rp{amount / 1_000_000_000:.1f} M".replace(".", ",")
    if abs(amount) >= 1_000_000:
        return f"Rp{amount / 1_000_000:.1f} jt".replace(".", ",")
    return format_rupiah(round(amount))


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    n = next(_ids)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-t{n} chart-d{n}" '
        f'font-family="sans-serif" font-size="12" class="chart">',
        f'<title id="chart-t{n}">{escape(title)}</title>',
        f'<desc id="chart-d{n}">{escape(desc)}</desc>',
    ]


def _clip(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, int]], *, title: str, desc: str, label_width: int = 190
) -> str:
    """Horizontal bars of rupiah amounts, one per row, in the given order."""
    width, bar_h, gap = 640, 18, 8
    height = max(40, 20 + len(rows) * (bar_h + gap))
    top = max((value for _, value in rows), default=0) or 1
    plot = width - label_width - 90
    parts = _open(width, height, title, desc)
    for index, (label, value) in enumerate(rows):
        y = 10 + index * (bar_h + gap)
        w = max(0.0, plot * value / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(_clip(label))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {format_rupiah(value)}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + 13}" '
            f'fill="{TEXT_COLOUR}">{escape(_short_rupiah(value))}</text>'
        )
    if not rows:
        parts.append(f'<text x="10" y="24" fill="{TEXT_COLOUR}">Belum ada data</text>')
    parts.append("</svg>")
    return "".join(parts)


def share_chart(
    rows: Sequence[tuple[str, int, int]],
    *,
    target: float,
    title: str,
    desc: str,
    label_width: int = 190,
) -> str:
    """100% stacked bars: per row (label, UMK spend, total spend) the UMK part (dark) and the
    rest (light), with a vertical line at the target share."""
    width, bar_h, gap = 640, 18, 8
    height = max(60, 40 + len(rows) * (bar_h + gap))
    plot = width - label_width - 70
    parts = _open(width, height, title, desc)
    for index, (label, umk, total) in enumerate(rows):
        y = 10 + index * (bar_h + gap)
        fraction = umk / total if total else 0.0
        w = plot * fraction
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(_clip(label))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_h}" '
            f'fill="{OTHER_COLOUR}"><title>{escape(label)}: non-UMK '
            f"{format_rupiah(total - umk)}</title></rect>"
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{UMK_COLOUR}"><title>{escape(label)}: UMK {format_rupiah(umk)} '
            f"({percent(fraction)})</title></rect>"
            f'<text x="{label_width + plot + 6}" y="{y + 13}" '
            f'fill="{TEXT_COLOUR}">{percent(fraction)}</text>'
        )
    x = label_width + plot * target
    bottom = 10 + len(rows) * (bar_h + gap)
    parts.append(
        f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{bottom}" stroke="{TARGET_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="5 3"><title>Target {percent(target)}</title></line>'
        f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="{TARGET_COLOUR}">'
        f"target {percent(target)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, int, float]],
    *,
    target: float,
    title: str,
    desc: str,
) -> str:
    """Monthly spending as columns (left scale, rupiah) and the UMK share as a line (right
    scale, 0-100%) with the target as a dashed line. ``points``: (label, spend, share)."""
    width, height, left, right, top_pad, bottom_pad = 640, 260, 70, 50, 16, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom_pad
    top = max((spend for _, spend, _ in points), default=0) or 1
    n = max(1, len(points))
    step = plot_w / n
    parts = _open(width, height, title, desc)
    base = top_pad + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#666"/>'
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" '
        f'fill="{TEXT_COLOUR}">{escape(_short_rupiah(top))}</text>'
        f'<text x="{left + plot_w + 6}" y="{top_pad + 4}" fill="{TEXT_COLOUR}">100%</text>'
        f'<text x="{left + plot_w + 6}" y="{base}" fill="{TEXT_COLOUR}">0%</text>'
    )
    coords: list[str] = []
    for index, (label, spend, share) in enumerate(points):
        x = left + step * index
        h = plot_h * spend / top
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{OTHER_COLOUR}"><title>{escape(label)}: '
            f"{format_rupiah(spend)}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{escape(label[:3])}</text>'
        )
        cy = base - plot_h * share
        coords.append(f"{x + step / 2:.1f},{cy:.1f}")
        parts.append(
            f'<circle cx="{x + step / 2:.1f}" cy="{cy:.1f}" r="4" fill="{UMK_COLOUR}">'
            f"<title>{escape(label)}: UMK {percent(share)}</title></circle>"
        )
    if coords:
        parts.append(
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{UMK_COLOUR}" '
            'stroke-width="2"/>'
        )
    ty = base - plot_h * target
    parts.append(
        f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" '
        f'stroke="{TARGET_COLOUR}" stroke-dasharray="5 3"><title>Target '
        f"{percent(target)}</title></line>"
    )
    parts.append("</svg>")
    return "".join(parts)


def dashboard_svgs(dashboard: Dashboard) -> dict[str, str]:
    """The dashboard's charts by name: monthly, agency, category, kecamatan, size_class,
    suppliers (top 10) and unmet (unmet demand by category)."""
    target = dashboard.target_share
    period = dashboard.period.label

    def shares(name: str, rows: Sequence[tuple[str, int, int]]) -> str:
        return share_chart(
            rows,
            target=target,
            title=f"Porsi belanja ke UMK dan koperasi per {name}, {period}",
            desc=f"Bagian hijau tua: belanja ke UMK/koperasi; garis merah: target "
            f"{percent(target)}. "
            + "; ".join(f"{label} {percent(u / t if t else 0.0)}" for label, u, t in rows),
        )

    return {
        "monthly": line_chart(
            [(m.label, m.spend, m.umk_share) for m in dashboard.monthly],
            target=target,
            title=f"Belanja per bulan dan porsi UMK, {period}",
            desc="Kolom: belanja terealisasi per bulan; garis: porsi UMK/koperasi. "
            + "; ".join(
                f"{m.label} {format_rupiah(m.spend)} (UMK {percent(m.umk_share)})"
                for m in dashboard.monthly
            ),
        ),
        "agency": shares(
            "perangkat daerah", [(r.label, r.umk_spend, r.spend) for r in dashboard.by_agency]
        ),
        "category": shares(
            "kategori", [(r.label, r.umk_spend, r.spend) for r in dashboard.by_category]
        ),
        "kecamatan": shares(
            "kecamatan", [(r.label, r.umk_spend, r.spend) for r in dashboard.by_kecamatan]
        ),
        "size_class": bar_chart(
            [(r.label, r.spend) for r in dashboard.by_size_class],
            title=f"Belanja per kelas usaha, {period}",
            desc="; ".join(f"{r.label} {format_rupiah(r.spend)}" for r in dashboard.by_size_class),
        ),
        "suppliers": bar_chart(
            [(r.name, r.spend) for r in dashboard.top_suppliers],
            title=f"Sepuluh penyedia dengan belanja terbesar, {period}",
            desc=f"Porsi 10 penyedia teratas {percent(dashboard.top10_share)}; indeks "
            f"Herfindahl {dashboard.herfindahl:.0f}. "
            + "; ".join(f"{r.name} {format_rupiah(r.spend)}" for r in dashboard.top_suppliers),
        ),
        "unmet": bar_chart(
            [(r.label, r.unmet_value) for r in dashboard.unmet_by_category if r.unmet_value],
            title=f"Kebutuhan belum terpenuhi per kategori (nilai HPS), {period}",
            desc="; ".join(
                f"{r.label} {format_rupiah(r.unmet_value)}"
                for r in dashboard.unmet_by_category
                if r.unmet_value
            ),
        ),
    }


# --- PNG for the PDF report -----------------------------------------------------------------


def _figure_bytes(figure: object) -> bytes:
    from matplotlib.figure import Figure

    assert isinstance(figure, Figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def png_monthly(dashboard: Dashboard) -> bytes:
    """Monthly spending (columns, juta rupiah) and the UMK share (line) against the target."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, 3.0))
    axes = figure.add_subplot()
    labels = [m.label.split()[0][:3] for m in dashboard.monthly]
    axes.bar(labels, [m.spend / 1_000_000 for m in dashboard.monthly], color=OTHER_COLOUR)
    axes.set_ylabel("Belanja (juta Rp)")
    twin = axes.twinx()
    twin.plot(
        labels,
        [m.umk_share * 100 for m in dashboard.monthly],
        color=UMK_COLOUR,
        marker="o",
        label="Porsi UMK",
    )
    twin.axhline(dashboard.target_share * 100, color=TARGET_COLOUR, linestyle="--", label="Target")
    twin.set_ylim(0, 100)
    twin.set_ylabel("Porsi UMK (%)")
    twin.legend(loc="upper left", fontsize=8)
    axes.set_title("Belanja per bulan dan porsi UMK/koperasi")
    return _figure_bytes(figure)


def png_shares(labels: Sequence[str], shares: Sequence[float], target: float, title: str) -> bytes:
    """Horizontal bars of UMK shares with the target line."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, max(1.6, 0.3 * len(labels) + 0.8)))
    axes = figure.add_subplot()
    names = [_clip(label, 34) for label in labels][::-1]
    axes.barh(names, [s * 100 for s in shares][::-1], color=UMK_COLOUR)
    axes.axvline(target * 100, color=TARGET_COLOUR, linestyle="--")
    axes.set_xlim(0, 100)
    axes.set_xlabel("Porsi UMK/koperasi (%)")
    axes.tick_params(axis="y", labelsize=7)
    axes.set_title(title)
    return _figure_bytes(figure)
