"""Charts of scenario results (matplotlib, Agg backend): the sweep's trade-off curve as PNG,
SVG or a small HTML page, and a bar chart of a scenario against its base."""

from __future__ import annotations

import html
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

JUTA = 1_000_000


def sweep_figure(result: dict[str, Any]) -> Figure:
    """Cost (left axis) and unmet value (right axis) against the achieved local/UMK share;
    infeasible targets as red crosses on the share axis at the required share; the knee."""
    points = result["points"]
    fig, ax = plt.subplots(figsize=(7.0, 4.2), dpi=100)
    right = ax.twinx()
    solved = [p for p in points if p["kind"] in ("ok", "unmet_rises")]
    shares = [100 * p["share"] for p in solved]
    ax.plot(shares, [p["cost"] / JUTA for p in solved], "o-", color="#1f5fa8", label="Biaya")
    right.plot(
        shares,
        [p["unmet_value"] / JUTA for p in solved],
        "s--",
        color="#c77c0e",
        label="Tidak terpenuhi",
    )
    bad = [p for p in points if p["kind"] in ("infeasible", "unknown")]
    if bad:
        ax.scatter(
            [100 * (p["value"] or 0) for p in bad],
            [ax.get_ylim()[0]] * len(bad),
            marker="x",
            color="#c0392b",
            s=60,
            zorder=5,
            clip_on=False,
            label="Target tidak dapat dicapai",
        )
    knee = result.get("knee")
    if knee is not None:
        p = points[knee]
        ax.annotate(
            f"lutut: {100 * p['share']:.0f}%",
            (100 * p["share"], p["cost"] / JUTA),
            xytext=(10, -25),
            textcoords="offset points",
            arrowprops={"arrowstyle": "->"},
        )
    ax.set_xlabel("Pangsa UMK/koperasi lokal tercapai (% nilai kebutuhan)")
    ax.set_ylabel("Biaya (Rp juta)")
    right.set_ylabel("Tidak terpenuhi (Rp juta)")
    handles = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=8)
    ax.set_title("Harga kelokalan: biaya dan kebutuhan tak terpenuhi")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def comparison_figure(result: dict[str, Any]) -> Figure:
    """Base against scenario: unmet value, priority value and cost (Rp juta)."""
    labels = ["Tidak terpenuhi", "Ke UMK/koperasi", "Biaya"]
    keys = ["unmet_value", "priority_value", "cost"]
    base = [result["base"][k] / JUTA for k in keys]
    new = [result["scenario"][k] / JUTA for k in keys]
    fig, ax = plt.subplots(figsize=(6.0, 3.6), dpi=100)
    xs = range(len(keys))
    ax.bar([x - 0.2 for x in xs], base, width=0.4, label="Dasar", color="#9aa5b1")
    ax.bar([x + 0.2 for x in xs], new, width=0.4, label="Skenario", color="#1f5fa8")
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel("Rp juta")
    ax.set_title(str(result.get("name", "Skenario")))
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buffer.getvalue()


def sweep_html(result: dict[str, Any]) -> str:
    svg = render(sweep_figure(result), "svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    rows = "".join(
        f"<tr><td>{p['value']}</td><td>{html.escape(p['kind'])}</td>"
        f"<td>{100 * p['share']:.1f}%</td><td>{p['cost']:,}</td><td>{p['unmet_value']:,}</td></tr>"
        for p in result["points"]
    )
    return (
        '<!doctype html><html lang="id"><meta charset="utf-8">'
        f"<title>Sapuan {html.escape(result['param'])}</title>{svg}"
        "<table><tr><th>Nilai</th><th>Status</th><th>Pangsa</th><th>Biaya (Rp)</th>"
        f"<th>Tidak terpenuhi (Rp)</th></tr>{rows}</table></html>\n"
    )
