"""Content checks of notes: frontmatter schema, code format, PHI, sources (per note); review dates, orphans."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Collection, Iterable, Mapping

from kb import diagnostics as diag
from kb.codes import check_codes
from kb.diagnostics import Diagnostic
from kb.notes import Note, Vault
from kb.phi import check_phi
from kb.positions import FrontmatterPositions
from kb.schema import check_frontmatter, example

# Why a review date matters, said in every stale-note hint.
WHY_REVIEW = "coding rules change every year (ICD-10-CM each October 1, HCPCS quarterly)"


def review_age(note: Note, today: datetime.date) -> int | None:
    """Days since the note's `last_reviewed`, or None if it has no valid date."""
    reviewed = note.last_reviewed
    return None if reviewed is None else (today - reviewed).days


def review_checked(note: Note, readable: bool) -> bool:
    """Whether the review-date check reads `note`: not when its frontmatter cannot be read, nor when
    its `last_reviewed` is not a date at all (the frontmatter schema reports that)."""
    return readable and not ("last_reviewed" in note.meta and note.last_reviewed is None)


def review_problem(
    path: str,
    reviewed: datetime.date | None,
    where: Callable[[], tuple[int, int]],
    stale_after_days: int,
    today: datetime.date,
) -> list[Diagnostic]:
    """A `stale-note` warning at `where()` (asked only then) when a note last reviewed on `reviewed`
    (None: never) is due for review on `today`, or dated in the future."""
    age = None if reviewed is None else (today - reviewed).days
    if age is None:
        message = "the note has never been reviewed (no last_reviewed date)"
        hint = "check it against its sources, then add 'last_reviewed: YYYY-MM-DD' with today's date"
    elif age < 0:
        message = f"last_reviewed {reviewed} is in the future"
        hint = "write the date the note was last checked against its sources (YYYY-MM-DD)"
    elif age > stale_after_days:
        message = f"last reviewed {reviewed}, {age} days ago (the limit is {stale_after_days} days)"
        hint = f"{WHY_REVIEW}: check the note against its sources, then set last_reviewed: {today.isoformat()}"
    else:
        return []
    return [diag.make("stale-note", path, *where(), message, hint)]


def review_position(text: str) -> tuple[int, int]:
    """Where a note's `stale-note` warning goes: its `last_reviewed` key, else its frontmatter's first key."""
    return FrontmatterPositions(text).key(("last_reviewed",))


def check_sources(note: Note, positions: FrontmatterPositions) -> list[Diagnostic]:
    """A `source-missing` warning when the note cites no source."""
    if note.sources or ("sources" in note.meta and not isinstance(note.meta["sources"], list | type(None))):
        return []  # cited, or written with the wrong type: the frontmatter schema reports that
    line, col = positions.key(("sources",))
    return [
        diag.make(
            "source-missing",
            note.path,
            line,
            col,
            "the note cites no sources",
            f"list the public sources of its facts, e.g. {example('sources')}",
        )
    ]


def lonely_notes(links_to: Mapping[str, Collection[str]]) -> set[str]:
    """The notes that link to no other note and that no other note links to. `links_to`: each note's
    id -> the ids of the other notes it links to."""
    linked = set().union(*links_to.values())
    return {note for note, targets in links_to.items() if not targets and note not in linked}


def orphan_notes(notes: Iterable[Note], lonely: set[str]) -> list[Diagnostic]:
    """An `orphan-note` at the top of each of `notes` whose id is in `lonely`."""
    return [
        diag.make(
            "orphan-note",
            note.path,
            1,
            1,
            "no note links here and this note links to no other",
            f"link it from a related note, e.g. add [[{note.name}]] to that note's ## Related list",
        )
        for note in notes
        if note.id in lonely
    ]


def note_checks(note: Note, readable: bool) -> list[Diagnostic]:
    """The checks that need only the note itself; a note whose frontmatter cannot be read gets only the PHI check.

    They depend on nothing else, so the vault loader runs them once per parse and caches them with the note.
    """
    found = check_phi(note)
    if readable:
        positions = FrontmatterPositions(note.text)
        found += check_frontmatter(note, positions)
        found += check_codes(note, positions)
        found += check_sources(note, positions)
    return found


def review_dates(vault: Vault, stale_after_days: int, today: datetime.date | None = None) -> list[Diagnostic]:
    """`stale-note` warnings for the notes whose frontmatter could be read."""
    today = today or datetime.date.today()
    unreadable = {d.path for d in vault.diagnostics if d.code == "frontmatter"}
    found = []
    for note in vault.notes:
        if review_checked(note, note.path not in unreadable):
            where = functools.partial(review_position, note.text)
            found += review_problem(note.path, note.last_reviewed, where, stale_after_days, today)
    return found
