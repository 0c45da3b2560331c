"""Diagnostics: one problem at a file, line and column, and how to print them."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from kb.pickling import pickled_by_fields

Severity = Literal["error", "warning", "info"]
Level = Literal["error", "warning", "info", "ignore"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info", "ignore")

# Stable codes and their default severity; documented in README.md ("Diagnostics").
DEFAULT_SEVERITY: dict[str, Level] = {
    "broken-link": "error",
    "alias-link": "error",
    "missing-anchor": "error",
    "ambiguous-link": "warning",
    "case-mismatch": "warning",
    "empty-link": "error",
    "unclosed-link": "warning",
    "broken-embed": "error",
    "embed-cycle": "error",
    "embed-depth": "error",
    "frontmatter": "error",
    "encoding": "error",
    "unreadable": "error",
    "symlink-loop": "warning",
    "name-clash": "error",
    "frontmatter-schema": "error",
    "unknown-key": "warning",
    "code-format": "error",
    "stale-note": "warning",
    "orphan-note": "info",
    "phi": "error",
    "source-missing": "warning",
    "abbr-conflict": "warning",
    "reserved-name": "error",
}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem in one note; `path` is relative to the notes root, `line`/`col` 1-based."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    target: str | None = None

    @property
    def text(self) -> str:
        """Message and hint as one sentence, as printed after the location."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)


def make(
    code: str, path: str, line: int, col: int, message: str, hint: str = "", target: str | None = None
) -> Diagnostic:
    """A diagnostic with the default severity of its code."""
    severity = DEFAULT_SEVERITY[code]
    assert severity != "ignore"
    return Diagnostic(path, line, col, severity, code, message, hint, target)


def apply_levels(diagnostics: Iterable[Diagnostic], levels: Mapping[str, Level]) -> list[Diagnostic]:
    """Re-level diagnostics from configuration (dropping `ignore`), sorted by place."""
    result = []
    for diagnostic in diagnostics:
        level = levels.get(diagnostic.code, diagnostic.severity)
        if level == "ignore":
            continue
        if level != diagnostic.severity:
            diagnostic = dataclasses.replace(diagnostic, severity=level)
        result.append(diagnostic)
    return sorted(result, key=Diagnostic.sort_key)


def format_text(diagnostic: Diagnostic, prefix: str = "") -> str:
    """`notes/cpt.md:12:5: error[broken-link]: message; hint` (compiler style)."""
    d = diagnostic
    return f"{prefix}{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.text}"


def _github_escape(value: str, in_property: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if in_property else value


def format_github(diagnostic: Diagnostic, prefix: str = "") -> str:
    """A GitHub Actions workflow annotation (`::error file=...,line=...,col=...::...`)."""
    d = diagnostic
    command = {"error": "error", "warning": "warning", "info": "notice"}[d.severity]
    file = _github_escape(prefix + d.path, in_property=True)
    title = _github_escape(f"kb {d.code}", in_property=True)
    return f"::{command} file={file},line={d.line},col={d.col},title={title}::{_github_escape(d.text)}"


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON list of objects with every field; `target` only for link diagnostics."""
    items = []
    for d in diagnostics:
        item = dataclasses.asdict(d)
        if d.target is None:
            del item["target"]
        items.append(item)
    return json.dumps(items, indent=2, ensure_ascii=False)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning` style count."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in diagnostics:
        counts[d.severity] += 1
    parts = [f"{n} {name}{'' if n == 1 else 's'}" for name, n in counts.items() if n]
    return ", ".join(parts) if parts else "no problems"
