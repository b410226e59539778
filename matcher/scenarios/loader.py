"""Reading scenario files: YAML -> :class:`~matcher.scenarios.schema.Scenario`, with every
problem located as ``file:line:col: field: message``.

The YAML is composed into a node tree first (``yaml.compose``) so that a pydantic error
location (``("changes", 0, "budget", "percent")``) can be walked back to the node it names and
its start mark. Missing fields point at the mapping that lacks them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from matcher.errors import FieldError, InvalidInput
from matcher.scenarios.schema import Scenario


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    field: str
    message: str


class ScenarioFileError(InvalidInput):
    """A scenario file that cannot be read; ``problems`` are located in the file."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(
            self.text(),
            errors=[
                FieldError(("body", "yaml", p.line, p.column), f"{p.field}: {p.message}")
                for p in problems
            ],
        )

    def lines(self) -> list[str]:
        out = []
        for p in self.problems:
            where = f"{self.source}:{p.line}:{p.column}"
            out.append(f"{where}: {p.field}: {p.message}" if p.field else f"{where}: {p.message}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _locate(root: yaml.Node | None, loc: tuple[int | str, ...]) -> tuple[yaml.Node | None, str]:
    """The node a pydantic location names (as deep as it exists) and the readable path."""
    node = root
    path = ""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = None
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    found = value
                    break
            type_value = next(
                (v.value for k, v in node.value if k.value == "type" and hasattr(v, "value")),
                None,
            )
            if found is None and part == type_value:
                continue  # the discriminator tag of a union member, not a key
            path = f"{path}.{part}" if path else part
            if found is None:
                return node, path
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            path = f"{path}[{part}]"
            if part >= len(node.value):
                return node, path
            node = node.value[part]
        elif isinstance(part, str) and not part.startswith(("function-", "tagged-")):
            path = f"{path}.{part}" if path else part
    return node, path


def _key_node(root: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """For an unexpected key: the key node itself (the value's parent mapping's key)."""
    parent, _ = _locate(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if isinstance(key, yaml.ScalarNode) and key.value == loc[-1]:
                return key
    return None


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "wajib diisi"
    if kind == "extra_forbidden":
        return "kolom tidak dikenal"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return f"jenis perubahan tidak dikenal: {tag!r}"
    ctx = error.get("ctx") or {}
    translated = {
        "less_than_equal": "harus <= {le}",
        "less_than": "harus < {lt}",
        "greater_than_equal": "harus >= {ge}",
        "greater_than": "harus > {gt}",
        "int_parsing": "harus bilangan bulat",
        "int_from_float": "harus bilangan bulat",
        "float_parsing": "harus angka",
        "bool_parsing": "harus true/false",
        "literal_error": "harus salah satu dari {expected}",
        "string_too_short": "terlalu pendek",
        "string_too_long": "terlalu panjang",
        "string_pattern_mismatch": "format tidak sesuai ({pattern})",
        "list_type": "harus berupa daftar",
        "dict_type": "harus berupa mapping",
        "model_type": "harus berupa mapping",
        "date_from_datetime_parsing": "tanggal harus berformat YYYY-MM-DD",
        "date_parsing": "tanggal harus berformat YYYY-MM-DD",
        "too_short": "terlalu sedikit isian",
    }.get(kind)
    if translated is not None:
        try:
            return translated.format(**ctx)
        except (KeyError, IndexError):
            return translated
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raises :class:`ScenarioFileError` with located problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise ScenarioFileError(
            source, [Problem(line, column, "", f"YAML tidak valid: {exc.problem or exc}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ScenarioFileError(source, [Problem(1, 1, "", f"YAML tidak valid: {exc}")]) from exc
    if not isinstance(data, dict):
        raise ScenarioFileError(source, [Problem(1, 1, "", "berkas skenario harus berupa mapping")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            node, path = _locate(root, loc)
            if error["type"] == "extra_forbidden" and loc:
                node = _key_node(root, loc) or node
            mark = node.start_mark if node is not None else None
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            problems.append(Problem(line, column, path, _message(error)))
        problems.sort(key=lambda p: (p.line, p.column))
        raise ScenarioFileError(source, problems) from exc


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioFileError(
            str(path), [Problem(1, 1, "", f"tidak dapat dibaca: {exc}")]
        ) from exc
    return parse_scenario(text, str(path))
