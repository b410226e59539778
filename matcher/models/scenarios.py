"""Stored what-if scenario runs (planner role): the YAML as submitted, the job status and
the result JSON that the API and web UI render (metrics, differences, binding constraints,
sensitivity levers, sweep points)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matcher.models.base import Base, TimestampMixin


class ScenarioRun(TimestampMixin, Base):
    __tablename__ = "scenario_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    yaml_text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="run")  # run or sweep
    # queued, running, done (including infeasible targets, see summary.status) or failed
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    message: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sweep_points: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
