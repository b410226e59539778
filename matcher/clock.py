"""The business date (WIB), overridable with MATCHER_TODAY for demos and tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from matcher.config import get_settings


def today() -> date:
    settings = get_settings()
    if settings.today is not None:
        return settings.today
    return datetime.now(ZoneInfo(settings.timezone)).date()
