"""Load a folder of Markdown notes: frontmatter, headings, block ids and wikilinks."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter import YAMLHandler

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.pickling import pickled_by_fields
from kb.sections import Heading, Slugify, find_block_ids, find_headings, toc_slugify
from kb.wikilinks import Link, excluded_spans, frontmatter_bounds, scan, unclosed


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader; an impossible date (2026-13-01) stays text for the schema check to report."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
YAML_LOADER = _Loader


def note_id(path: str) -> str:
    """A note's path without the suffix (`coding/cpt`): what a link with a folder matches."""
    return path.rsplit(".", 1)[0]


def note_name(path: str) -> str:
    """A note's file name without the suffix (`cpt`): what [[name]] matches."""
    return note_id(path).rsplit("/", 1)[-1]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Note:
    """One Markdown note. `path` is relative to the notes root (`coding/cpt.md`)."""

    path: str
    title: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    body_start: int = 0
    links: tuple[Link, ...] = ()
    headings: tuple[Heading, ...] = ()
    block_ids: frozenset[str] = frozenset()
    id: str = field(init=False, compare=False, repr=False)  # path without the suffix: `coding/cpt`
    name: str = field(init=False, compare=False, repr=False)  # file name without the suffix: what [[name]] matches
    folder: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Stored, not computed on each use: resolving and graphing read them for every link.
        object.__setattr__(self, "id", note_id(self.path))
        object.__setattr__(self, "name", note_name(self.path))
        object.__setattr__(self, "folder", self.path.rpartition("/")[0])

    @property
    def description(self) -> str:
        value = self.meta.get("description")
        return str(value).strip() if isinstance(value, str | int | float) else ""

    @property
    def aliases(self) -> tuple[str, ...]:
        return text_list(self.meta.get("aliases"))

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(tag.lstrip("#") for tag in text_list(self.meta.get("tags")) if tag.lstrip("#"))

    @property
    def codes(self) -> tuple[str, ...]:
        return text_list(self.meta.get("codes"))

    @property
    def sources(self) -> tuple[str, ...]:
        return text_list(self.meta.get("sources"))

    @property
    def abbr(self) -> dict[str, str]:
        value = self.meta.get("abbr")
        if not isinstance(value, Mapping):
            return {}
        return {str(k).strip(): str(v).strip() for k, v in value.items() if str(k).strip() and v}

    @property
    def last_reviewed(self) -> datetime.date | None:
        value = self.meta.get("last_reviewed")
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                return None
        return None

    @property
    def body(self) -> str:
        """The Markdown after the frontmatter."""
        return self.text[self.body_start :]


@dataclass(frozen=True, slots=True)
class Vault:
    """Every note and other file under a notes root. `listing`: what went wrong listing and reading the files;
    `note_problems`: what parsing each note and (from `kb.vault.load_vault`) its own content checks found;
    `digests`: the digest of each note's file (`kb.cachefiles.digest`), from `load_vault`."""

    root: Path
    notes: tuple[Note, ...]
    files: tuple[str, ...]
    listing: tuple[Diagnostic, ...] = ()
    note_problems: Mapping[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    digests: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (*self.listing, *(d for problems in self.note_problems.values() for d in problems))


def text_list(value: object) -> tuple[str, ...]:
    """A frontmatter list of strings; a lone string counts as a list of one, as in Obsidian."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(
        str(item).strip()
        for item in items
        if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip()
    )


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text (BOM dropped, newlines normalised); bad bytes become U+FFFD and a diagnostic."""
    problems = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Count lines as the normalised text does: a lone CR ends a line too.
        before = normalise_newlines(data[: error.start].decode("utf-8-sig", "replace"))
        problems.append(
            diag.make(
                "encoding",
                path,
                before.count("\n") + 1,
                len(before) - before.rfind("\n"),
                f"file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
                "it was probably saved as Latin-1 or Windows-1252; re-save it as UTF-8",
            )
        )
        text = data.decode("utf-8-sig", errors="replace")
    return normalise_newlines(text), problems


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_frontmatter(text: str, path: str) -> tuple[dict[str, Any], int, list[Diagnostic]]:
    """(metadata, body offset, diagnostics) for the YAML block at the top of `text`."""
    bounds = frontmatter_bounds(text)
    if bounds is None:
        if text.startswith("---") and not text[3 : text.find("\n")].strip() and "\n" in text:
            return (
                {},
                0,
                [
                    diag.make(
                        "frontmatter",
                        path,
                        1,
                        1,
                        "frontmatter opened with '---' is never closed",
                        "add a line with only '---' after the last key",
                    )
                ],
            )
        return {}, 0, []
    yaml_start, yaml_end, body_start = bounds
    first_line = text.count("\n", 0, yaml_start) + 1
    source = text[yaml_start:yaml_end]
    try:
        alias = _first_alias(source)
        data = None if alias else YAMLHandler().load(source, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and mark and mark.index >= yaml_end - yaml_start - 1:
            mark = error.context_mark  # the problem is at the end: point at what was left open
        line, col = (first_line + mark.line, mark.column + 1) if mark else (first_line, 1)
        problem = " ".join(part.strip() for part in (error.problem, error.context) if part) or "invalid YAML"
        # libyaml's messages do not always say "tab": look at the character it stopped on.
        tab = "tab" in problem or bool(error.problem_mark and source[error.problem_mark.index :][:1] == "\t")
        hint = "indent with spaces, not tabs" if tab else "check the quotes, colons and indentation on this line"
        return {}, body_start, [diag.make("frontmatter", path, line, col, f"invalid YAML frontmatter: {problem}", hint)]
    except yaml.YAMLError as error:
        return {}, body_start, [diag.make("frontmatter", path, first_line, 1, f"invalid YAML frontmatter: {error}")]
    if alias:
        # An alias can multiply a few lines into gigabytes when MkDocs prints the value (a "billion laughs").
        line, col = first_line + alias.start_mark.line, alias.start_mark.column + 1
        message = f"invalid YAML frontmatter: alias '*{alias.anchor}' (notes do not use YAML anchors and aliases)"
        return {}, body_start, [diag.make("frontmatter", path, line, col, message, "write the value out in full")]
    if data is None:
        return {}, body_start, []
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        return (
            {},
            body_start,
            [
                diag.make(
                    "frontmatter",
                    path,
                    first_line,
                    1,
                    f"frontmatter is {kind}, not a mapping",
                    "write one 'key: value' per line, e.g. 'title: My note'",
                )
            ],
        )
    return {str(key): value for key, value in data.items()}, body_start, []


def _first_alias(source: str) -> yaml.AliasEvent | None:
    """The first YAML alias (`*name`) in `source`, if any."""
    if "*" not in source:
        return None
    return next((e for e in yaml.parse(source, Loader=YAML_LOADER) if isinstance(e, yaml.AliasEvent)), None)


def parse_note(
    path: str, data: bytes, slugify: Slugify = toc_slugify, separator: str = "-"
) -> tuple[Note, list[Diagnostic]]:
    """Parse one note's bytes; never raises for bad content."""
    text, problems = decode(data, path)
    meta, body_start, fm_problems = parse_frontmatter(text, path)
    problems += fm_problems
    spans = excluded_spans(text)
    headings = find_headings(text, spans, slugify, separator)
    title = meta.get("title")
    if not isinstance(title, str | int | float) or isinstance(title, bool) or not str(title).strip():
        first_h1 = next((h.text for h in headings if h.level == 1 and h.text), None)
        title = first_h1 or Path(path).stem
    links = tuple(scan(text, spans))
    for line, col in unclosed(text, links, spans):
        hint = "end the link with ']]' on the same line, or write \\[\\[ to show the brackets"
        problems.append(diag.make("unclosed-link", path, line, col, "'[[' is not closed on this line", hint))
    note = Note(
        path=path,
        title=str(title).strip(),
        text=text,
        meta=meta,
        body_start=body_start,
        links=links,
        headings=headings,
        block_ids=find_block_ids(text, spans),
    )
    return note, problems
