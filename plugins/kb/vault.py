"""Load a notes folder: parse and check every note, reusing unchanged ones from a cache.

Many notes to parse (a first check, a cold cache) are shared out to one worker process per CPU;
a few are parsed in this process, as starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping, Sequence
from pathlib import Path

from kb import diagnostics as diag
from kb import notes
from kb.cachefiles import digest, read_bytes, same_file
from kb.checks import note_checks
from kb.cpus import can_fork, cpus
from kb.diagnostics import Diagnostic
from kb.files import MARKDOWN_SUFFIXES, FileEntry, listing
from kb.notes import Note, Vault
from kb.sections import Slugify, toc_slugify

# A parsed note, its diagnostics (from parsing and the per-note content checks) and the digest of its file.
Parsed = tuple[Note, list[Diagnostic], bytes]
# path -> ((mtime_ns, size), the parsed note)
NoteCache = MutableMapping[str, tuple[tuple[int, int], Parsed]]


def load_note(root: Path, path: str, slugify: Slugify, separator: str) -> Parsed:
    """Parse one note and run the checks that need only the note."""
    data = read_bytes(os.path.join(root, path))
    note, problems = notes.parse_note(path, data, slugify, separator)
    readable = not any(problem.code == "frontmatter" for problem in problems)
    return note, problems + note_checks(note, readable), digest(data)


# A parsed note, or why its file could not be read.
Loaded = Parsed | str

# Below this many notes to parse, one process does it: at 200 notes, forking workers and sending
# the notes back costs what the second core saves; at 500, workers take a quarter less time.
PARALLEL_MIN_NOTES = 500
CHUNK_NOTES = 100  # notes per task: few enough round trips, small enough to share out evenly


def load_notes(root: Path, paths: Sequence[str], slugify: Slugify, separator: str) -> list[Loaded]:
    """`load_note` for each of `paths`, in order, in this process."""
    loaded: list[Loaded] = []
    for path in paths:
        try:
            loaded.append(load_note(root, path, slugify, separator))
        except OSError as error:
            loaded.append(error.strerror or str(error))
    return loaded


def load_notes_parallel(root: Path, paths: Sequence[str], slugify: Slugify, separator: str) -> list[Loaded]:
    """`load_notes`, shared out to worker processes when there are enough notes and cores.

    Workers are forked, so they start at once with everything imported (`kb.cpus.can_fork`).
    Otherwise, or when the system refuses new processes, this process does the work.
    """
    workers = min(cpus(), len(paths) // CHUNK_NOTES)
    if len(paths) < PARALLEL_MIN_NOTES or workers < 2 or not can_fork():
        return load_notes(root, paths, slugify, separator)
    # imported only here: the check after an edit, which parses a note or two, does without them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [paths[start : start + CHUNK_NOTES] for start in range(0, len(paths), CHUNK_NOTES)]
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(root, slugify, separator),  # inherited by the fork, never pickled
        ) as pool:
            return [loaded for chunk in pool.map(_load_chunk, chunks) for loaded in chunk]
    except (OSError, BrokenProcessPool):
        return load_notes(root, paths, slugify, separator)


# What every note of a worker is parsed with, set once when the worker starts.
_worker_settings: tuple[Path, Slugify, str] | None = None


def _start_worker(root: Path, slugify: Slugify, separator: str) -> None:
    global _worker_settings
    _worker_settings = root, slugify, separator


def _load_chunk(paths: Sequence[str]) -> list[Loaded]:
    assert _worker_settings is not None, "run by a worker started with _start_worker"
    root, slugify, separator = _worker_settings
    return load_notes(root, paths, slugify, separator)


Listing = tuple[list[FileEntry], list[Diagnostic]]


def load_vault(
    root: Path,
    slugify: Slugify = toc_slugify,
    separator: str = "-",
    cache: NoteCache | None = None,
    listed: Listing | None = None,
    unpublished: Sequence[str] | None = (),
) -> Vault:
    """Read every note under `root` that MkDocs publishes (every note if `unpublished` is None);
    problems become diagnostics, never exceptions.

    With a `cache`, a note whose file has the same modification time and size, or the same size and
    bytes, is not parsed again. `listed`: the folder's `kb.files.listing`, if the caller has just made
    it; else it is listed without the `unpublished` files (`Settings.unpublished`).
    """
    entries, listing_problems = listed or listing(root, unpublished)
    problems = list(listing_problems)
    markdown = [entry for entry in entries if entry.path.lower().endswith(MARKDOWN_SUFFIXES)]
    files = tuple(entry.path for entry in entries if not entry.path.lower().endswith(MARKDOWN_SUFFIXES))
    kept: dict[str, Loaded] = {}
    if cache is not None:
        for entry in markdown:
            cached = cache.get(entry.path)
            if cached is None:
                continue
            stamp, known = cached
            if same_file(os.path.join(root, entry.path), entry.stamp, stamp, known[2]):
                kept[entry.path] = known
                if stamp != entry.stamp:
                    cache[entry.path] = (entry.stamp, known)  # its new time, to trust next time
    stale = [entry for entry in markdown if entry.path not in kept]
    parsed = load_notes_parallel(root, [entry.path for entry in stale], slugify, separator)
    for entry, loaded in zip(stale, parsed, strict=True):
        if cache is not None and not isinstance(loaded, str):
            cache[entry.path] = (entry.stamp, loaded)
        kept[entry.path] = loaded
    by_note: dict[str, tuple[Diagnostic, ...]] = {}
    digests: dict[str, bytes] = {}
    found = []
    for entry in markdown:
        loaded = kept[entry.path]
        if isinstance(loaded, str):
            problems.append(diag.make("unreadable", entry.path, 1, 1, f"cannot read: {loaded}"))
            continue
        note, note_problems, digests[entry.path] = loaded
        found.append(note)
        by_note[entry.path] = tuple(note_problems)
    return Vault(root, tuple(found), files, tuple(problems), by_note, digests)
