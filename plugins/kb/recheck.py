"""Check a vault again after a few notes were edited, from the state the last check saved.

A full check resolves every link of every note. An edit that keeps a note's title, aliases, headings
and block ids cannot change how any other note's links resolve, so only the edited notes' own findings
and the orphans can change: `recheck` works out just those, against a saved outline of every note.
A note embedded by others can be edited too: what its embedders inline changes, but only nested
embeds matter to a check, and it has none. Anything wider (a file added, removed or renamed, a name,
heading or block id changed, a note that embeds or defines abbreviations) is left to the full check,
which saves a new state.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb.cachefiles import RACY_NS, cache_path, load, save
from kb.checks import orphan_notes, review_dates
from kb.diagnostics import Diagnostic
from kb.files import FileEntry
from kb.findings import Findings
from kb.notes import MARKDOWN_SUFFIXES, Note, Vault
from kb.pickling import pickled_by_fields
from kb.resolve import Index, resolve_link
from kb.results import CheckResult, VaultState
from kb.sections import Heading
from kb.settings import Settings
from kb.vault import load_note

if TYPE_CHECKING:
    from kb.analysis import Analysis

KIND, EDITS_KIND = "state", "state-edits"
MAX_EDITS = 100  # notes rechecked since the last full state, at most, before a new state is saved
NEVER = (-1, -1)  # the stamp of a note modified just now: it may change again unseen, so it is parsed next time


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class NoteState:
    """What a check needs of a note that was not edited since."""

    stamp: tuple[int, int]
    outline: Note  # no text, links or frontmatter but aliases: what other notes' links resolve against
    problems: tuple[Diagnostic, ...]  # found in the note alone, in its links and in its review date
    targets: frozenset[str]  # the other notes it links to
    reaches: bool  # it embeds or defines abbreviations: editing it can change other notes' findings


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CheckState:
    """What the last full check found, note by note."""

    token: str  # tells the edits made since this state from those made since another
    files: tuple[str, ...]  # every file under the notes folder, in listing order
    notes: dict[str, NoteState]
    wide: tuple[Diagnostic, ...]  # found by the checks of several notes together, except orphans


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Edits:
    """The notes rechecked since the full check `token`: a small file to save instead of the whole state."""

    token: str
    notes: dict[str, NoteState]


def outline(note: Note, shared: dict[tuple[int, str, str], Heading]) -> Note:
    """`note` without what other notes' links do not read. Its headings keep no position, so a heading
    that many notes have (Overview, Related ...) is one object in all of them (`shared`), and the
    saved state is smaller and quicker to read."""
    meta = {"aliases": note.meta["aliases"]} if "aliases" in note.meta else {}
    keys = [(h.level, h.text, h.slug) for h in note.headings]
    headings = tuple(shared.setdefault(key, Heading(*key, 0, 0)) for key in keys)
    return Note(note.path, note.title, "", meta, 0, (), headings, note.block_ids)


def names(note: Note) -> tuple[object, ...]:
    """What other notes' links and their checks read of `note`."""
    headings = tuple((h.level, h.text, h.slug) for h in note.headings)
    return note.title, note.aliases, headings, note.block_ids


def reaches(note: Note) -> bool:
    return bool(note.abbr) or any(link.embed for link in note.links)


def settled_stamp(stamp: tuple[int, int], now_ns: int) -> tuple[int, int]:
    """The file's (time, size) to compare next time; NEVER for a file too new to be trusted."""
    return stamp if now_ns - stamp[0] >= RACY_NS else NEVER


def new_token() -> str:
    return secrets.token_hex(8)


def save_state(project: Path, state: VaultState, analysis: Analysis) -> None:
    """Keep what the full check `analysis` found, note by note, for `recheck`."""
    wide = analysis.findings.wide
    targets: dict[str, set[str]] = {note.path: set() for note in analysis.vault.notes}
    for res in analysis.resolutions:
        if res.note is not None and res.note.path != res.source.path:
            targets[res.source.path].add(res.note.id)
    stamps, now = {entry.path: entry.stamp for entry in state.entries}, time.time_ns()
    shared: dict[tuple[int, str, str], Heading] = {}
    notes = {
        note.path: NoteState(
            settled_stamp(stamps.get(note.path, NEVER), now),
            outline(note, shared),
            tuple(analysis.findings.notes[note.path]),
            frozenset(targets[note.path]),
            reaches(note),
        )
        for note in analysis.vault.notes
    }
    files = tuple(entry.path for entry in state.entries)
    save(cache_path(project, analysis.vault.root, KIND), state.checker, CheckState(new_token(), files, notes, wide))


def recheck(project: Path, root: Path, settings: Settings, state: VaultState) -> CheckResult | None:
    """The result of checking `root` in `state`, worked out from the saved state; None if it cannot be."""
    saved = load(cache_path(project, root, KIND), state.checker)
    if not isinstance(saved, CheckState) or saved.files != tuple(entry.path for entry in state.entries):
        return None
    edits = load(cache_path(project, root, EDITS_KIND), state.checker)
    since = dict(edits.notes) if isinstance(edits, Edits) and edits.token == saved.token else {}
    notes = {**saved.notes, **since}
    edited: list[tuple[FileEntry, Note, list[Diagnostic]]] = []
    for entry in state.entries:
        old = notes.get(entry.path)
        if old is None:
            if entry.path.lower().endswith(MARKDOWN_SUFFIXES):
                return None  # a note that could not be read last time
            continue
        if old.stamp == entry.stamp:
            continue
        try:
            note, problems = load_note(root, entry.path, settings.slugify, settings.separator)
        except OSError:
            return None
        if old.reaches or reaches(note) or names(note) != names(old.outline):
            return None
        edited.append((entry, note, problems))
    if edited:
        current = {note.path: note for _, note, _ in edited}
        everything = tuple(current.get(path, known.outline) for path, known in notes.items())
        files = tuple(entry.path for entry in state.entries if entry.path not in notes)
        index = Index(Vault(root, everything, files), settings.slugify, settings.separator)
        now = time.time_ns()
        for entry, note, problems in edited:
            resolutions = [resolve_link(index, note, link) for link in note.links]
            alone = Vault(root, (note,), (), (), {note.path: tuple(problems)})
            reviewed = review_dates(alone, settings.stale_after_days)
            found = (*problems, *(p for r in resolutions for p in r.problems), *reviewed)
            linked = frozenset(r.note.id for r in resolutions if r.note is not None and r.note.path != note.path)
            notes[note.path] = since[note.path] = NoteState(
                settled_stamp(entry.stamp, now), outline(note, {}), found, linked, False
            )
        if len(since) > max(MAX_EDITS, len(notes) // 10):  # the edits file would be as slow to read: fold it in
            whole = CheckState(new_token(), saved.files, notes, saved.wide)
            save(cache_path(project, root, KIND), state.checker, whole)
        else:
            save(cache_path(project, root, EDITS_KIND), state.checker, Edits(saved.token, since))
    linked_to = set().union(*(known.targets for known in notes.values()))
    lonely = {known.outline.id for known in notes.values() if not known.targets and known.outline.id not in linked_to}
    findings = Findings(
        tuple(state.problems),
        {path: list(known.problems) for path, known in notes.items()},
        saved.wide,
        tuple(orphan_notes((known.outline for known in notes.values()), lonely)),
    )
    return CheckResult(findings.diagnostics(settings.levels), tuple(notes))
