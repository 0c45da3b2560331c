"""Resolve wikilinks to notes, files, headings and blocks, as Obsidian does."""

from __future__ import annotations

import functools
import posixpath
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.files import MARKDOWN_SUFFIXES, unpublished_files
from kb.notes import Note, Vault
from kb.sections import Heading, Slugify, cached_slug, toc_slugify
from kb.suggest import Suggester, closest
from kb.wikilinks import Link


@functools.lru_cache(maxsize=1 << 16)  # the same names are folded for link after link
def fold(text: str) -> str:
    """The key names are compared by: Unicode NFC, then casefold."""
    return unicodedata.normalize("NFC", text).casefold()


def strip_markdown_suffix(target: str) -> str:
    head, dot, suffix = target.rpartition(".")
    return head if dot and "." + suffix.lower() in MARKDOWN_SUFFIXES else target


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one link points at; `problems` is empty when it resolves cleanly."""

    source: Note
    link: Link
    note: Note | None = None
    file: str | None = None
    heading: Heading | None = None
    block: str | None = None
    problems: tuple[Diagnostic, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.note is not None or self.file is not None

    @property
    def fragment(self) -> str:
        """The URL fragment (`#...`) the link should carry, or ''."""
        if self.heading is not None:
            return self.heading.slug
        return f"^{self.block}" if self.block else ""


class Index:
    """Lookups from link text to notes and files, built once per vault."""

    def __init__(
        self, vault: Vault, slugify: Slugify = toc_slugify, separator: str = "-", unpublished: Sequence[str] = ()
    ) -> None:
        """`unpublished`: mkdocs.yml's exclude_docs and draft_docs lines (`Settings.unpublished`)."""
        self.notes, self.root, self.unpublished = vault.notes, vault.root, unpublished
        self.slugify, self.separator = slugify, separator
        self.by_name: dict[str, list[Note]] = {}
        self.files_by_name: dict[str, list[str]] = {}
        self.by_path = {note.path: note for note in vault.notes}
        self.by_id = {note.id: note for note in vault.notes}
        for note in vault.notes:
            self.by_name.setdefault(fold(note.name), []).append(note)
        for path in vault.files:
            self.files_by_name.setdefault(fold(path.rsplit("/", 1)[-1]), []).append(path)
        self._heading_slugs: dict[str, dict[str, Heading]] = {}
        self._aliases: dict[str, list[Note]] | None = None
        self._suggester: Suggester[Note] | None = None
        self._left_out: dict[str, str] | None = None
        self._candidates: dict[str, tuple[list[Note], list[str]]] = {}

    def link_name(self, note: Note) -> str:
        """The shortest text that links to `note` unambiguously: its name, else its path."""
        return note.name if len(self.by_name.get(fold(note.name), ())) == 1 else note.id

    def headings_by_slug(self, note: Note) -> dict[str, Heading]:
        slugs = self._heading_slugs.get(note.path)
        if slugs is None:
            slugs = {}
            for heading in note.headings:
                slugs.setdefault(cached_slug(self.slugify, heading.text, self.separator), heading)
            self._heading_slugs[note.path] = slugs
        return slugs

    def alias_owners(self, target: str) -> list[Note]:
        """Notes with the alias `target`; the aliases are gathered on the first broken link only."""
        if self._aliases is None:
            self._aliases = {}
            for note in self.notes:
                for alias in note.aliases:
                    self._aliases.setdefault(fold(alias), []).append(note)
        return self._aliases.get(fold(target), [])

    def suggest(self, target: str, limit: int = 3) -> list[Note]:
        """Notes whose name, title or alias is closest to `target` (for did-you-mean)."""
        if self._suggester is None:
            keys: list[str] = []
            owners: list[Note] = []
            for note in self.notes:
                for key in (note.name, note.title, *note.aliases):
                    keys.append(fold(key))
                    owners.append(note)
            self._suggester = Suggester(keys, owners)
        return self._suggester.best(fold(target), limit)

    def left_out(self, target: str) -> str | None:
        """The path of a note named `target` that MkDocs leaves out of the site, if there is one.

        Asked only for a broken link; the folder is listed once, and only if something can be left out.
        """
        if self._left_out is None:
            try:
                paths = unpublished_files(self.root, self.unpublished)
            except OSError:
                paths = []
            self._left_out = {}
            for path in paths:
                if path.lower().endswith(MARKDOWN_SUFFIXES):
                    self._left_out.setdefault(fold(strip_markdown_suffix(path).rsplit("/", 1)[-1]), path)
        return self._left_out.get(fold(strip_markdown_suffix(target)).rsplit("/", 1)[-1])

    def candidates(self, target: str) -> tuple[list[Note], list[str]]:
        """(notes, files) matching a target text (as `root_target` gives it)."""
        found = self._candidates.get(target)
        if found is None:  # the same targets are linked from many notes: look each up once
            found = self._candidates[target] = self._match(target)
        return found

    def _match(self, target: str) -> tuple[list[Note], list[str]]:
        absolute = target.startswith("/")
        key = fold(target.strip("/"))
        if not key:
            return [], []
        note_key = fold(strip_markdown_suffix(target.strip("/")))
        notes = [n for n in self.by_name.get(name_key(target), ()) if _path_matches(fold(n.id), note_key, absolute)]
        if notes:
            return notes, []
        files = [f for f in self.files_by_name.get(key.rsplit("/", 1)[-1], ()) if _path_matches(fold(f), key, absolute)]
        return [], files


def name_key(target: str) -> str:
    """The folded name of the notes a link target (as `root_target` gives it) can match."""
    return fold(strip_markdown_suffix(target.strip("/"))).rsplit("/", 1)[-1]


def root_target(target: str, source: Note) -> str | None:
    """A `./x` or `../x` target as a path from the notes root (`/folder/x`); None if it climbs out."""
    if not target.startswith(("./", "../")):
        return target
    joined = posixpath.normpath(posixpath.join(source.folder, target))
    return None if joined == ".." or joined.startswith("../") else "/" + joined


def _path_matches(path: str, key: str, absolute: bool) -> bool:
    return path == key or (not absolute and path.endswith("/" + key))


def _choose(notes: list[Note], target: str, source: Note) -> Note:
    """Obsidian's preference: exact case (and normalisation), then the linking note's folder, then the shortest path."""
    if len(notes) == 1:
        return notes[0]
    written = strip_markdown_suffix(target.strip("/"))

    def rank(note: Note) -> tuple[bool, bool, bool, int, str]:
        exact = _nfc_endswith(note.id, written)
        return (not exact, not note.id.endswith(written), note.folder != source.folder, note.id.count("/"), note.id)

    return min(notes, key=rank)


def _nfc_endswith(text: str, end: str) -> bool:
    """Whether `text` ends with `end` once both are in Unicode NFC (which changes no ASCII text)."""
    if text.isascii() and end.isascii():
        return text.endswith(end)
    return unicodedata.normalize("NFC", text).endswith(unicodedata.normalize("NFC", end))


def _did_you_mean(index: Index, target: str) -> str:
    suggestions = index.suggest(target)
    if not suggestions:
        return ""
    return "did you mean " + " or ".join(f"[[{index.link_name(n)}]]" for n in suggestions) + "?"


def _missing(index: Index, source: Note, link: Link, why: str | None) -> Resolution:
    code = "broken-embed" if link.embed else "broken-link"
    what = "embedded note or file" if link.embed else "note"
    at = (source.path, link.line, link.col)
    if why:
        problem = diag.make(code, *at, f"{why}: '{link.target}'", "link to a note by its name, e.g. [[cpt]]", link.raw)
        return Resolution(source, link, problems=(problem,))
    owners = index.alias_owners(strip_markdown_suffix(link.target))
    if owners:
        owner = owners[0]
        name = index.link_name(owner)
        problem = diag.make(
            "alias-link",
            *at,
            f"'{link.target}' is an alias of '{owner.title}', not a note name",
            f"write [[{name}|{link.label or link.target}]]",
            link.raw,
        )
        return Resolution(source, link, problems=(problem,))
    left_out = index.left_out(link.target)
    hint = (
        f"'{left_out}' is left out of the site (exclude_docs or draft_docs in mkdocs.yml, or a top-level "
        "templates/ folder): link a published note, or publish that one"
        if left_out
        else _did_you_mean(index, link.target)
    )
    problem = diag.make(code, *at, f"no {what} named '{link.target}'", hint, link.raw)
    return Resolution(source, link, problems=(problem,))


def _anchor_problems(
    index: Index, source: Note, link: Link, note: Note
) -> tuple[Heading | None, str | None, list[Diagnostic]]:
    anchor = link.anchor or ""
    at = (source.path, link.line, link.col)
    if anchor.startswith("^"):
        block = anchor[1:]
        if block in note.block_ids:
            return None, block, []
        where = _where(index, source, note)
        known = ", ".join(f"^{b}" for b in sorted(note.block_ids)[:5]) or "none"
        return (
            None,
            None,
            [
                diag.make(
                    "missing-anchor", *at, f"no block '^{block}' in {where}", f"block ids there: {known}", link.raw
                )
            ],
        )
    slugs = index.headings_by_slug(note)
    heading = None
    for part in (p.strip() for p in anchor.split("#")):
        heading = slugs.get(cached_slug(index.slugify, part, index.separator))
        if heading is None:
            texts = [h.text for h in note.headings]
            close = [texts[i] for i in closest(fold(part), [fold(t) for t in texts], cutoff=60)]
            prefix = "" if note is source else index.link_name(note)
            hint = (
                "did you mean " + " or ".join(f"[[{prefix}#{text}]]" for text in close) + "?"
                if close
                else "that note has no headings"
                if not texts
                else "headings there: " + ", ".join(texts[:5])
            )
            message = f"no heading '{part}' in {_where(index, source, note)}"
            return None, None, [diag.make("missing-anchor", *at, message, hint, link.raw)]
    return heading, None, []


def _where(index: Index, source: Note, note: Note) -> str:
    """How a missing-anchor message names the linked `note`."""
    return "this note" if note is source else f"'{index.link_name(note)}'"


def resolve_link(index: Index, source: Note, link: Link) -> Resolution:
    """Resolve one link found in `source`."""
    if not link.target:
        if not link.anchor:
            problem = diag.make(
                "empty-link",
                source.path,
                link.line,
                link.col,
                f"empty link '{link.raw}'",
                "write a note name between the brackets, or escape them as \\[\\[",
                link.raw,
            )
            return Resolution(source, link, problems=(problem,))
        note: Note | None = source
        problems: list[Diagnostic] = []
    else:
        written = root_target(link.target, source)
        if written is None:
            return _missing(index, source, link, "link points outside the notes folder")
        notes, files = index.candidates(written)
        if files:
            return Resolution(source, link, file=min(files, key=lambda f: (f.count("/"), f)))
        if not notes:
            return _missing(index, source, link, None)
        note = _choose(notes, written, source)
        problems = _name_problems(index, source, link, notes, note, written)
    heading, block = None, None
    if link.anchor:
        heading, block, anchor_problems = _anchor_problems(index, source, link, note)
        problems += anchor_problems
    return Resolution(source, link, note=note, heading=heading, block=block, problems=tuple(problems))


def _name_problems(
    index: Index, source: Note, link: Link, notes: list[Note], chosen: Note, target: str
) -> list[Diagnostic]:
    at = (source.path, link.line, link.col)
    problems = []
    if len(notes) > 1:
        others = ", ".join(n.path for n in notes if n is not chosen)
        problems.append(
            diag.make(
                "ambiguous-link",
                *at,
                f"'{link.target}' matches {len(notes)} notes; linked to {chosen.path} (also {others})",
                f"write the folder to choose one, e.g. [[{chosen.id}]]",
                link.raw,
            )
        )
    written = strip_markdown_suffix(target.strip("/"))
    if not _nfc_endswith(chosen.id, written):
        written = unicodedata.normalize("NFC", written)
        exact = chosen.id[len(chosen.id) - len(written) :] if len(written) <= len(chosen.id) else chosen.name
        problems.append(
            diag.make(
                "case-mismatch",
                *at,
                f"'{link.target}' matches '{chosen.path}' only when case is ignored",
                f"write [[{exact}]]",
                link.raw,
            )
        )
    return problems


def resolve_all(index: Index, notes: Iterable[Note]) -> list[Resolution]:
    """Resolve every link of every note, in note and link order."""
    return [resolve_link(index, note, link) for note in notes for link in note.links]


def links_between_notes(notes: Iterable[Note], resolutions: Iterable[Resolution]) -> dict[str, set[str]]:
    """Each of `notes`' id -> the ids of the other notes its links (among `resolutions`) resolve to."""
    found: dict[str, set[str]] = {note.id: set() for note in notes}
    for res in resolutions:
        if res.note is not None and res.note.path != res.source.path:
            found[res.source.id].add(res.note.id)
    return found
