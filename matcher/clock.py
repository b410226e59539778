"""The business date (WIB), overridable with MATCHER_TODAY for demos and tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from matcher.config import get_settings

# Month names in Bahasa Indonesia, for dates written out in documents and reports.
MONTH_NAMES: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: date) -> str:
    """A date written out in Bahasa Indonesia: ``date(2026, 12, 1)`` -> ``"1 Desember 2026"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def today() -> date:
    settings = get_settings()
    if settings.today is not None:
        return settings.today
    return datetime.now(ZoneInfo(settings.timezone)).date()
