"""Form input: posted fields to the services' pydantic schemas, and their errors (pydantic's
or the services' field problems) to Indonesian messages keyed by field name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from matcher.errors import MatcherError

M = TypeVar("M", bound=BaseModel)

_MONEY = re.compile(r"^\s*(?:rp\.?)?\s*[\d.\s]+\s*$", re.IGNORECASE)


def text(form: FormData, name: str) -> str | None:
    """A text field, stripped; empty means absent."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def money(form: FormData, name: str) -> str | None:
    """Rupiah as typed ("Rp15.000", "15 000") becomes digits; anything else is passed on for
    the schema to reject."""
    value = text(form, name)
    if value is not None and _MONEY.match(value):
        return re.sub(r"\D", "", value)
    return value


def checked(form: FormData, name: str) -> bool:
    return form.get(name) in ("1", "on", "true", "ya")


def ids(form: FormData, name: str) -> list[int]:
    found: list[int] = []
    for value in form.getlist(name):
        if isinstance(value, str) and value.strip().isdigit():
            found.append(int(value.strip()))
    return found


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "wajib diisi"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "harus bilangan bulat"
    if kind in ("float_parsing", "float_type"):
        return "harus angka"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return "tanggal tidak valid (format HHHH-BB-TT)"
    if kind == "greater_than":
        return f"harus lebih dari {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"minimal {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"maksimal {ctx.get('le')}"
    if kind == "less_than":
        return f"harus kurang dari {ctx.get('lt')}"
    if kind == "string_too_short":
        return f"minimal {ctx.get('min_length')} karakter"
    if kind == "string_too_long":
        return f"maksimal {ctx.get('max_length')} karakter"
    if kind == "string_pattern_mismatch":
        return "format tidak valid"
    if kind in ("enum", "literal_error"):
        return "pilihan tidak valid"
    if kind == "bool_parsing":
        return "pilihan ya/tidak tidak valid"
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return "isian tidak dikenal"
    return str(error.get("msg", "tidak valid"))


def _field(loc: Iterable[str | int]) -> str:
    parts = [p for p in loc if p != "body"]
    return str(parts[0]) if parts else "__all__"


class FormErrors(Exception):
    """Field name -> message, plus a summary for the top of the form."""

    def __init__(self, fields: dict[str, str], summary: str) -> None:
        super().__init__(summary)
        self.fields = fields
        self.summary = summary


def validation_errors(error: ValidationError) -> FormErrors:
    fields: dict[str, str] = {}
    for item in error.errors():
        fields.setdefault(_field(item["loc"]), _message(dict(item)))
    return FormErrors(fields, "Periksa kembali isian yang ditandai.")


def domain_errors(error: MatcherError) -> FormErrors:
    fields: dict[str, str] = {}
    for item in error.errors:
        fields.setdefault(_field(item.loc), item.message)
    return FormErrors(fields, error.detail)


def validate(model: type[M], data: dict[str, Any]) -> M:
    """The schema instance, or ``FormErrors`` in Indonesian."""
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as error:
        raise validation_errors(error) from None
