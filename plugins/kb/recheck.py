"""Check a vault again after a few notes were edited, from the state the last check saved.

A full check resolves every link of every note. An edit that keeps a note's title, aliases, headings
and block ids cannot change how any other note's links resolve, so only the edited notes' own findings,
the orphans, the embed cycles and depths (worked out again only if an edit changed which notes a note
embeds, or in which parts; else they only move with the embeds) and, if the edited notes define
abbreviations, the acronym conflicts can change: `recheck` works out just those, against a saved
outline of every note and its embeds. Anything wider (a file added, removed or renamed, a name,
heading or block id changed) is left to the full check, which saves a new state. The state holds for
any day: review dates, the only findings that age, are worked out again from each note's saved date.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import os
import pickle
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb.abbreviations import collect_abbreviations, key_position
from kb.cachefiles import RACY_NS, cache_path, load, read_bytes, same_file, save
from kb.checks import lonely_notes, orphan_notes, review_checked, review_dates, review_position, review_problem
from kb.diagnostics import Diagnostic
from kb.embeds import Embed, embed_region, heading_number
from kb.files import MARKDOWN_SUFFIXES, FileEntry
from kb.findings import Findings
from kb.notes import Note, Vault, decode, note_id
from kb.pickling import pickled_by_fields
from kb.resolve import Index, Resolution, links_between_notes, name_key, resolve_link, root_target
from kb.results import CheckResult, SavedCheck, VaultState
from kb.sections import Heading
from kb.settings import Settings
from kb.vault import Parsed, load_note
from kb.wikilinks import Link

if TYPE_CHECKING:
    from kb.analysis import Analysis

KIND, EDITS_KIND = "state", "state-edits"
MAX_EDITS = 100  # notes rechecked since the last full state, at most, before a new state is saved
MAX_RECHECKED = 100  # notes edited since the last check, at most, to recheck one by one
STALE = "stale-note"  # the code of the review-date check's warnings
NEVER = (-1, -1)  # the stamp of a note modified just now: it may change again unseen, so it is parsed next time


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ReviewDate:
    """A note's `last_reviewed` date as the review-date check reads it (None: never reviewed), and where
    its warning went if the check that saved it gave one (else the note is read again when one is due)."""

    date: datetime.date | None
    at: tuple[int, int] | None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class NoteState:
    """What a check needs of a note that was not edited since."""

    stamp: tuple[int, int]
    digest: bytes  # of the file's bytes: a file with a new time but the same bytes was not edited
    outline: bytes  # `outline`: what other notes' checks read of it, kept apart as most rechecks read a few
    problems: tuple[Diagnostic, ...]  # found in the note alone and in its links: all but the review date's
    review: ReviewDate | None  # None if the review-date check does not read the note
    targets: tuple[str, ...]  # the other notes it links to (a tuple: quicker to read back than a set)
    embeds: tuple[tuple[Link, str, int | None], ...]  # each embed: the link, the note it inlines, which heading
    parts: tuple[tuple[int, int], ...]  # if it embeds: where the whole body, then each heading's section, lie


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Wide:
    """The problems of several notes together that an edit can change: embed cycles and depths, acronyms."""

    embeds: tuple[Diagnostic, ...]
    abbreviations: tuple[Diagnostic, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CheckState:
    """What the last full check found, note by note."""

    token: str  # tells the edits made since this state from those made since another
    files: tuple[str, ...]  # every file under the notes folder, in listing order
    notes: dict[str, NoteState]
    wide: Wide
    site: tuple[Diagnostic, ...]  # the site's pages: they depend on the files and names alone
    names: dict[str, tuple[str, ...]]  # `Index.by_name` as paths: a folded note name -> the notes of that name


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Edits:
    """The notes rechecked since the full check `token`, and the new file times of notes touched but not
    edited (a fresh checkout touches them all): a small file to save instead of the whole state."""

    token: str
    notes: dict[str, NoteState]
    stamps: dict[str, tuple[int, int]]  # overrides the stamp in `notes` or the state
    wide: Wide


def outline(note: Note) -> bytes:
    """What other notes' checks read of `note` (its title, aliases and abbr, headings, block ids), pickled
    on its own: the check after an edit reads back only the outlines the edited notes' links need
    (`read_outline`), not those of the whole vault."""
    meta = {key: note.meta[key] for key in ("aliases", "abbr") if key in note.meta}
    headings = tuple((h.level, h.text, h.slug) for h in note.headings)
    return pickle.dumps((note.title, meta, headings, tuple(note.block_ids)), pickle.HIGHEST_PROTOCOL)


def read_outline(path: str, known: NoteState) -> Note:
    """The note at `path` as its `outline` gives it: no text, links or frontmatter but aliases and abbr,
    headings without their positions."""
    title, meta, headings, block_ids = pickle.loads(known.outline)
    return Note(path, title, "", meta, 0, (), tuple(Heading(*h, 0, 0) for h in headings), frozenset(block_ids))


def note_state(
    stamp: tuple[int, int],
    digest: bytes,
    note: Note,
    problems: Iterable[Diagnostic],
    resolutions: Iterable[Resolution],
) -> NoteState:
    """What the next check needs to know of `note`, checked with `problems` (its review date's included)
    and its links' `resolutions`."""
    problems = tuple(problems)
    review = None
    if review_checked(note, readable=not any(p.code == "frontmatter" for p in problems)):
        review = ReviewDate(note.last_reviewed, next(((p.line, p.col) for p in problems if p.code == STALE), None))
    resolutions = tuple(resolutions)
    embeds = []
    for res in resolutions:
        if res.note is not None and res.link.embed:
            embeds.append((res.link, res.note.path, heading_number(res)))
    # Where a part lies matters only to find the embeds inside it: kept for the notes that embed.
    parts = tuple(embed_region(note, n) for n in (None, *range(len(note.headings)))) if embeds else ()
    return NoteState(
        stamp,
        digest,
        outline(note),
        tuple(p for p in problems if p.code != STALE),
        review,
        tuple(links_between_notes([note], resolutions)[note.id]),
        tuple(embeds),
        parts,
    )


def vault_embeds(notes: Mapping[str, NoteState]) -> list[Embed]:
    """Every embed of every note, as the last check of each note found it."""
    found = []
    outlines: dict[str, Note] = {}

    def outline_of(path: str) -> Note:
        if path not in outlines:
            outlines[path] = read_outline(path, notes[path])
        return outlines[path]

    for path, known in notes.items():
        for link, target_path, heading in known.embeds:
            target = notes[target_path]
            # A note that embeds nothing has no part worth placing: nothing nested can be found in it.
            start, end = target.parts[0 if heading is None else heading + 1] if target.parts else (0, 0)
            found.append(Embed(outline_of(path), link, outline_of(target_path), start, end))
    return found


def embed_shape(known: NoteState) -> tuple[object, ...]:
    """What embed cycles and depths read of a note but where its embeds lie: each embed as written, the
    note and heading it inlines, and which of the embeds lie in each part (the body, each section)."""
    starts = [link.start for link, _, _ in known.embeds]
    inside = tuple((bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)) for start, end in known.parts)
    return tuple((link.raw, path, heading) for link, path, heading in known.embeds), inside


def moved_embeds(
    problems: Iterable[Diagnostic], edited: Iterable[tuple[str, NoteState, NoteState]]
) -> Iterator[Diagnostic]:
    """The embed cycles and depths `problems`, each at its embed's place in the edited notes (path,
    before, after), whose embeds are the same ones in the same order."""
    places = {
        (path, was.line, was.col): (now.line, now.col)
        for path, old, new in edited
        for (was, _, _), (now, _, _) in zip(old.embeds, new.embeds, strict=True)
    }
    for problem in problems:
        place = places.get((problem.path, problem.line, problem.col))
        yield problem if place is None else dataclasses.replace(problem, line=place[0], col=place[1])


def names(note: Note) -> tuple[object, ...]:
    """What other notes' links and their checks read of `note`."""
    headings = tuple((h.level, h.text, h.slug) for h in note.headings)
    return note.title, note.aliases, headings, note.block_ids


def settled_stamp(stamp: tuple[int, int], now_ns: int) -> tuple[int, int]:
    """The file's (time, size) to compare next time; NEVER for a file too new to be trusted."""
    return stamp if now_ns - stamp[0] >= RACY_NS else NEVER


def new_token() -> str:
    return secrets.token_hex(8)


def save_state(project: Path, state: VaultState, analysis: Analysis) -> None:
    """Keep what the full check `analysis` found, note by note, for `recheck`."""
    found = analysis.findings
    by_note: dict[str, list[Resolution]] = {note.path: [] for note in analysis.vault.notes}
    for res in analysis.resolutions:
        by_note[res.source.path].append(res)
    stamps, now = {entry.path: entry.stamp for entry in state.entries}, time.time_ns()
    notes = {
        note.path: note_state(
            settled_stamp(stamps.get(note.path, NEVER), now),
            analysis.vault.digests[note.path],
            note,
            found.notes[note.path],
            by_note[note.path],
        )
        for note in analysis.vault.notes
    }
    files = tuple(entry.path for entry in state.entries)
    wide = Wide(found.embeds, found.abbreviations)
    names = {name: tuple(note.path for note in same) for name, same in analysis.index.by_name.items()}
    save(
        cache_path(project, analysis.vault.root, KIND),
        state.checker,
        CheckState(new_token(), files, notes, wide, found.site, names),
    )


def recheck(
    project: Path, root: Path, settings: Settings, state: VaultState, seen: SavedCheck | None
) -> tuple[CheckResult, Mapping[str, bytes]] | None:
    """The result of checking `root` in `state`, worked out from the saved state, and the digest of each
    note; None if it cannot be. A note is not read again if the last check's result `seen` it at its
    time with the bytes the state has (that result was reused for a fresh checkout)."""
    saved = load(cache_path(project, root, KIND), state.checker)
    if not isinstance(saved, CheckState) or saved.files != tuple(entry.path for entry in state.entries):
        return None
    edits = load(cache_path(project, root, EDITS_KIND), state.checker)
    if isinstance(edits, Edits) and edits.token == saved.token:
        since, stamps, wide = dict(edits.notes), dict(edits.stamps), edits.wide
    else:
        since, stamps, wide = {}, {}, saved.wide
    notes = {**saved.notes, **since}
    changed: list[FileEntry] = []
    touched, now = False, time.time_ns()
    for position, entry in enumerate(state.entries):
        old = notes.get(entry.path)
        if old is None:
            if entry.path.lower().endswith(MARKDOWN_SUFFIXES):
                return None  # a note that could not be read last time
            continue
        known = stamps.get(entry.path, old.stamp)
        if known == entry.stamp:
            continue
        if (seen is not None and seen.saw(position, entry.stamp, old.digest)) or same_file(
            os.path.join(root, entry.path), entry.stamp, known, old.digest
        ):  # touched, not edited
            stamps[entry.path] = settled_stamp(entry.stamp, now)
            touched = True
        else:
            changed.append(entry)
    if _many(len(changed), MAX_RECHECKED, len(notes)):
        return None  # one note after another here would be slower than the full check's workers and cache
    edited: list[tuple[FileEntry, Parsed]] = []
    for entry in changed:
        try:
            parsed = load_note(root, entry.path, settings.slugify, settings.separator)
        except OSError:
            return None
        if names(parsed[0]) != names(read_outline(entry.path, notes[entry.path])):
            return None
        edited.append((entry, parsed))
        stamps.pop(entry.path, None)  # its new state has its new time
    if edited:
        files = tuple(entry.path for entry in state.entries if entry.path not in notes)
        try:
            wide = _recheck_edited(root, files, settings, notes, saved.names, since, wide, edited)
        except OSError:  # a note read again to place an acronym conflict is gone
            return None
    if edited or touched:
        if _many(len(since), MAX_EDITS, len(notes)):  # the edits file would be as slow to read: fold it in
            restamped = {path: dataclasses.replace(notes[path], stamp=stamp) for path, stamp in stamps.items()}
            whole = CheckState(new_token(), saved.files, {**notes, **restamped}, wide, saved.site, saved.names)
            save(cache_path(project, root, KIND), state.checker, whole)
        else:
            save(cache_path(project, root, EDITS_KIND), state.checker, Edits(saved.token, since, stamps, wide))
    lonely = lonely_notes({note_id(path): known.targets for path, known in notes.items()})
    orphans = (read_outline(path, known) for path, known in notes.items() if note_id(path) in lonely)
    try:
        by_note = {
            path: [*known.problems, *_review(root, settings, path, known, state.today)] for path, known in notes.items()
        }
    except OSError:  # a note read again to place a review-date warning is gone
        return None
    findings = Findings(
        tuple(state.problems),
        by_note,
        wide.embeds,
        wide.abbreviations,
        saved.site,
        tuple(orphan_notes(orphans, lonely)),
    )
    digests = {path: known.digest for path, known in notes.items()}
    return CheckResult(findings.diagnostics(settings.levels), tuple(notes)), digests


def _review(root: Path, settings: Settings, path: str, known: NoteState, today: datetime.date) -> list[Diagnostic]:
    """The review-date warning of the note at `path` on `today`, if any; placed where the last one was, or
    else where the note's text says."""
    review = known.review
    if review is None:
        return []

    def where() -> tuple[int, int]:
        return review.at or review_position(decode(read_bytes(os.path.join(root, path)), path)[0])

    return review_problem(path, review.date, where, settings.stale_after_days, today)


def _many(count: int, least: int, notes: int) -> bool:
    """Whether `count` is more than `least` and than a tenth of the `notes`."""
    return count > max(least, notes // 10)


def _recheck_edited(
    root: Path,
    files: tuple[str, ...],
    settings: Settings,
    notes: dict[str, NoteState],
    names: Mapping[str, tuple[str, ...]],
    since: dict[str, NoteState],
    wide: Wide,
    edited: list[tuple[FileEntry, Parsed]],
) -> Wide:
    """Check the `edited` notes against the others' outlines and the `files` that are not notes, keep
    their new states in `notes` and `since`, and return the problems of several notes together as now."""
    current = {note.path: note for _, (note, _, _) in edited}
    old_states = [notes[path] for path in current]
    resolved = _resolve_edited(root, files, settings, notes, names, current)
    now = time.time_ns()
    for entry, (note, problems, digest) in edited:
        resolutions = resolved[note.path]
        alone = Vault(root, (note,), (), (), {note.path: tuple(problems)})
        found = (
            *problems,
            *(p for r in resolutions for p in r.problems),
            *review_dates(alone, settings.stale_after_days),
        )
        stamp = settled_stamp(entry.stamp, now)
        notes[note.path] = since[note.path] = note_state(stamp, digest, note, found, resolutions)
    before_after = [(path, old, notes[path]) for path, old in zip(current, old_states, strict=True)]
    if any(embed_shape(old) != embed_shape(new) for _, old, new in before_after):
        from kb.graph import deep_embeds, embed_cycles  # NetworkX: a tenth of a second to import, only here

        embeds = vault_embeds(notes)
        wide = Wide((*embed_cycles(embeds), *deep_embeds(embeds)), wide.abbreviations)
    else:  # the same embeds in the same parts: the same cycles and depths, at the embeds' new places
        wide = Wide(tuple(moved_embeds(wide.embeds, before_after)), wide.abbreviations)
    if any(read_outline(path, old).abbr or current[path].abbr for path, old, _ in before_after):

        def position(note: Note, key: str) -> tuple[int, int]:  # the other notes' text is read again if need be
            whole = current.get(note.path) or load_note(root, note.path, settings.slugify, settings.separator)[0]
            return key_position(whole, key)

        outlines = (read_outline(path, known) for path, known in notes.items())
        _, conflicts = collect_abbreviations(outlines, position)
        wide = Wide(wide.embeds, tuple(conflicts))
    return wide


def _resolve_edited(
    root: Path,
    files: tuple[str, ...],
    settings: Settings,
    notes: Mapping[str, NoteState],
    names: Mapping[str, tuple[str, ...]],
    current: Mapping[str, Note],
) -> dict[str, list[Resolution]]:
    """The links of the `current` (edited) notes, resolved against the other notes' outlines. Only the
    outlines of the notes named as the links' targets (`names`: of each folded name) are read, unless a
    link is broken: its hint (an alias, did-you-mean) reads every note's title and aliases, so then all are."""

    def resolved_with(paths: Iterable[str]) -> dict[str, list[Resolution]]:
        outlines = tuple(current.get(path) or read_outline(path, notes[path]) for path in paths)
        index = Index(Vault(root, outlines, files), settings.slugify, settings.separator, settings.unpublished)
        return {path: [resolve_link(index, note, link) for link in note.links] for path, note in current.items()}

    targets = {
        name_key(written)
        for note in current.values()
        for link in note.links
        if link.target and (written := root_target(link.target, note)) is not None
    }
    found = resolved_with(path for name in targets for path in names.get(name, ()))
    if all(res.resolved for resolutions in found.values() for res in resolutions):
        return found
    return resolved_with(notes)
