"""What a note embed (`![[target]]`, `![[target#Heading]]`) inlines: the data kb check keeps of each,
without NetworkX, which only working out embed cycles and depths (`graph.py`) needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.notes import Note
from kb.pickling import pickled_by_fields
from kb.resolve import Resolution
from kb.sections import section_end
from kb.wikilinks import Link

MAX_EMBED_DEPTH = 16  # nested embeds the site inlines on one page; deeper ones render as broken


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Embed:
    """A note embed (`![[target]]`, `![[target#Heading]]`) and the part of the target it inlines."""

    source: Note
    link: Link
    target: Note
    start: int  # where the inlined part begins and ends in the target's text
    end: int


def embed_region(note: Note, heading: int | None) -> tuple[int, int]:
    """Where the part of `note` an embed inlines begins and ends: a heading's section, or the whole body."""
    if heading is not None:
        return note.headings[heading].start, section_end(note.text, note.headings, heading)
    return note.body_start, len(note.text)


def heading_number(res: Resolution) -> int | None:
    """Which of the target note's headings the link points at, if any."""
    return None if res.heading is None or res.note is None else res.note.headings.index(res.heading)


def note_embeds(resolutions: Iterable[Resolution]) -> list[Embed]:
    """Every embed of a note, in link order."""
    return [
        Embed(r.source, r.link, r.note, *embed_region(r.note, heading_number(r)))
        for r in resolutions
        if r.link.embed and r.note is not None
    ]
