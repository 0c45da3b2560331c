"""Load a notes folder: parse and check every note, reusing unchanged ones from a cache."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

from kb import diagnostics as diag
from kb import notes
from kb.checks import note_checks
from kb.diagnostics import Diagnostic
from kb.files import FileEntry, listing
from kb.notes import MARKDOWN_SUFFIXES, Note, Vault
from kb.sections import Slugify, toc_slugify

# path -> ((mtime_ns, size), note, its diagnostics: parsing and the per-note content checks)
NoteCache = MutableMapping[str, tuple[tuple[int, int], Note, list[Diagnostic]]]


def load_note(root: Path, path: str, slugify: Slugify, separator: str) -> tuple[Note, list[Diagnostic]]:
    """Parse one note and run the checks that need only the note."""
    note, problems = notes.parse_note(path, (root / path).read_bytes(), slugify, separator)
    readable = not any(problem.code == "frontmatter" for problem in problems)
    return note, problems + note_checks(note, readable)


Listing = tuple[list[FileEntry], list[Diagnostic]]


def load_vault(
    root: Path,
    slugify: Slugify = toc_slugify,
    separator: str = "-",
    cache: NoteCache | None = None,
    listed: Listing | None = None,
) -> Vault:
    """Read every note under `root`; problems become diagnostics, never exceptions.

    With a `cache`, a note whose file has the same modification time and size is not read again.
    `listed`: the folder's `kb.files.listing`, if the caller has just made it.
    """
    entries, listing_problems = listed or listing(root)
    problems = list(listing_problems)
    by_note: dict[str, tuple[Diagnostic, ...]] = {}
    found = []
    files = []
    for entry in entries:
        path = entry.path
        if not path.lower().endswith(MARKDOWN_SUFFIXES):
            files.append(path)
            continue
        cached = cache.get(path) if cache is not None else None
        if cached is not None and cached[0] == entry.stamp:
            note, note_problems = cached[1], cached[2]
        else:
            try:
                note, note_problems = load_note(root, path, slugify, separator)
            except OSError as error:
                problems.append(diag.make("unreadable", path, 1, 1, f"cannot read: {error.strerror}"))
                continue
            if cache is not None:
                cache[path] = (entry.stamp, note, note_problems)
        found.append(note)
        by_note[path] = tuple(note_problems)
    return Vault(root, tuple(found), tuple(files), tuple(problems), by_note)
