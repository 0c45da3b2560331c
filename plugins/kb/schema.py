"""Check frontmatter against frontmatter.schema.json: required keys, types, unknown keys."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
import yaml

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import Note
from kb.positions import FrontmatterPositions, KeyPath
from kb.suggest import nearest

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_FILE = Path(__file__).with_name("frontmatter.schema.json")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # jsonschema's, with fromisoformat for the day


@cache
def schema() -> dict[str, Any]:
    """The frontmatter schema (JSON Schema, draft 2020-12)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # for the messages about invalid notes only: slow to import

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def is_date(value: object) -> bool:
    """The schema's "date" format as jsonschema checks it: a real day, written YYYY-MM-DD."""
    if not isinstance(value, str):
        return True
    try:
        return bool(DATE_RE.fullmatch(value)) and bool(datetime.date.fromisoformat(value))
    except ValueError:
        return False


@cache
def _fast_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: it only tells valid from invalid, many times faster.

    Nearly every note is valid; only the others go through jsonschema, whose errors say where and why.
    """
    formats = {"date": is_date}
    return fastjsonschema.compile(schema(), formats=formats, use_default=False, detailed_exceptions=False)


def is_valid(frontmatter: Any) -> bool:
    """Whether `frontmatter` (as `json_view` shows it) meets the schema."""
    try:
        _fast_validator()(frontmatter)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def note_keys() -> dict[str, Any]:
    """The note's own keys and their defaults (those `kb new` writes), in schema order."""
    return {key: spec["default"] for key, spec in schema()["properties"].items() if "default" in spec}


def json_view(value: Any) -> Any:
    """Frontmatter as the schema sees it: YAML dates become YYYY-MM-DD text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: json_view(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_view(item) for item in value]
    return value


def plain_number(value: Any, written: str | None) -> bool:
    """A number written without quotes that YAML keeps as written (835, not 0111 -> 73): it counts as text."""
    return isinstance(value, int | float) and not isinstance(value, bool) and written == str(value)


def describe_type(spec: Mapping[str, Any]) -> str:
    """The type a schema asks for, in words: 'text', 'a list of text', 'a date written YYYY-MM-DD'."""
    kind = spec.get("type")
    if kind == "array":
        items = spec.get("items", {})
        return f"a list of {describe_type(items)}" if "type" in items else "a list"
    if kind == "string":
        return "a date written YYYY-MM-DD" if spec.get("format") == "date" else "text"
    if "enum" in spec:
        return "one of " + ", ".join(map(str, spec["enum"]))
    return {"object": "a mapping ('key: value' lines)", "boolean": "true or false", "number": "a number"}.get(
        str(kind), str(kind)
    )


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    for types, word in ((int | float, "a number"), (str, "text"), (list, "a list"), (Mapping, "a mapping")):
        if isinstance(value, types):
            return word
    return type(value).__name__


def _where(path: KeyPath) -> str:
    text = f"'{path[0]}'"
    for step in path[1:]:
        text = f"entry {step + 1} of {text}" if isinstance(step, int) else f"'{step}' in {text}"
    return text


def _flow(value: Any, top: bool = False) -> str:
    """An example value as one line of YAML, the way an editor would type it."""
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    plain = top or (re.fullmatch(r"[\w][\w .()'/-]*", value) and yaml.safe_load(value) == value)
    return str(value) if plain else json.dumps(value, ensure_ascii=False)


def example(key: str) -> str:
    """`key: <the schema's first example>` as one line of YAML, or '' if the schema has none."""
    examples = schema()["properties"].get(key, {}).get("examples")
    return f"{key}: {_flow(examples[0], top=True)}" if examples else ""


class _Translator:
    """Turns jsonschema errors for one note into diagnostics a non-programmer can act on."""

    def __init__(self, note: Note, positions: FrontmatterPositions) -> None:
        self.note, self.positions = note, positions
        self.typos: dict[str, str] = {}  # unknown key -> the known key it probably means

    def at_key(self, code: str, path: KeyPath, message: str, hint: str, on_key: bool = False) -> Diagnostic:
        """A diagnostic at a top-level key, a nested key (`on_key`) or a nested value."""
        line, col = self.positions.key(path) if on_key or len(path) <= 1 else self.positions.value(path)
        return diag.make(code, self.note.path, line, col, message, hint)

    def unknown_keys(self, error: ValidationError) -> list[Diagnostic]:
        path = tuple(error.absolute_path)
        known = list(error.schema.get("properties", {}))
        found = []
        for key in error.instance:
            if key in known:
                continue
            guess = nearest(str(key), known, cutoff=75)
            if guess:
                self.typos[guess] = key
                hint = f"did you mean '{guess}'?"
            else:
                shown = [k for k in known if k in note_keys()] if not path else known
                hint = f"remove it, or use one of: {', '.join(shown)}"
            where = f" in {_where(path)}" if path else ""
            found.append(self.at_key("unknown-key", (*path, key), f"unknown key '{key}'{where}", hint, on_key=True))
        return found

    def missing_keys(self, error: ValidationError) -> list[Diagnostic]:
        found = []
        for key in (k for k in error.validator_value if k not in error.instance):
            typo = self.typos.get(key)
            if typo is not None:
                hint = f"is '{typo}' a misspelling of it?"
                place: KeyPath = (typo,)
            elif self.positions.has_frontmatter:
                what = schema()["properties"][key]["description"]
                hint, place = f"add a line '{key}: …' to the frontmatter with {what}", ()
            else:
                hint = "the note has no frontmatter: start the file with a '---' line, 'title: …', 'description: …'"
                hint, place = hint + " and another '---' line (`kb new` writes one for you)", ()
            found.append(self.at_key("frontmatter-schema", place, f"missing required key '{key}'", hint))
        return found

    def wrong_value(self, error: ValidationError) -> Diagnostic:
        path = tuple(error.absolute_path)
        on_key = "propertyNames" in error.relative_schema_path  # an `abbr` key, not its value
        if on_key:
            where, written = f"key '{error.instance}' in {_where(path)}", str(error.instance)
            path = (*path, written)
        else:
            where, written = _where(path), self.positions.source(path)
        message, hint = _explain(error, where, written, str(path[0]), nested=len(path) > 1)
        return self.at_key("frontmatter-schema", path, message, hint, on_key)


def _explain(error: ValidationError, where: str, written: str | None, top: str, nested: bool) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one schema error, in words; `written` is the value as typed."""
    value, spec = error.instance, error.schema
    fallback = f"write it like: {example(top)}" if example(top) else ""
    if error.validator == "minLength" or value is None:
        if nested:
            return f"{where} is empty", "fill it in or remove it"
        wanted = spec.get("description") if error.validator == "minLength" else None
        return f"{where} is empty", f"write {wanted}" if wanted else fallback
    if error.validator == "type" and spec.get("type") == "string" and written is not None:
        shown = str(value).lower() if isinstance(value, bool) else f"the number {value}"
        if shown.endswith(written):
            return f"{where} must be text, not {_kind(value)}", f'put it in quotes: "{written}"'
        return f"{where} must be text, but YAML reads {written} as {shown}", f'put it in quotes: "{written}"'
    if error.validator == "type":
        as_list = spec.get("type") == "array" and isinstance(value, str)
        hint = f"write it as a list: {top}: [{_flow(value)}]" if as_list else fallback
        return f"{where} must be {describe_type(spec)}, not {_kind(value)}", hint
    if error.validator in ("format", "enum"):
        guess = nearest(str(value), [str(v) for v in spec["enum"]], cutoff=75) if "enum" in spec else None
        return (
            f"{where} must be {describe_type(spec)}, not '{value}'",
            f"did you mean '{guess}'?" if guess else fallback,
        )
    return f"{where}: {error.message}", fallback


def check_frontmatter(note: Note, positions: FrontmatterPositions) -> list[Diagnostic]:
    """Every way the note's frontmatter breaks the schema, each at the key or value to fix."""
    frontmatter = json_view(note.meta)
    if is_valid(frontmatter):
        return []
    errors = list(_validator().iter_errors(frontmatter))
    translate = _Translator(note, positions)
    # Unknown keys first: a missing key may be one of them misspelled ('descripton').
    found = [d for e in errors if e.validator == "additionalProperties" for d in translate.unknown_keys(e)]
    found += next((translate.missing_keys(e) for e in errors if e.validator == "required"), [])
    for error in errors:
        if error.validator in ("additionalProperties", "required"):
            continue
        text_wanted = error.validator == "type" and error.validator_value == "string"
        if not (text_wanted and plain_number(error.instance, positions.source(tuple(error.absolute_path)))):
            found.append(translate.wrong_value(error))
    return found
