"""An on-disk cache of parsed and checked notes, so an unchanged note is not read again.

`kb check` and every `mkdocs build` or `serve` rebuild (the plugin keeps no note from one build to
the next) read one file under `.kb-cache/` in the project folder, never under the notes folder. An entry
is reused for the same path, modification time and size, or the same path, size and bytes (a fresh
checkout gives every file a new time: a cache restored in CI still serves); the whole file is ignored
when the parsing settings, the Python version or kb's own code differ, or when it cannot be read.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kb.cachefiles import RACY_NS, cache_path, fingerprint, load, save
from kb.notes import Note, Vault
from kb.sections import Slugify
from kb.vault import Listing, load_vault


class NoteCacheFile(dict[str, Any]):
    """path -> ((mtime_ns, size), (Note, diagnostics, digest)), remembering whether anything changed."""

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__(entries)
        self.seen: set[str] = set()
        self.changed = False

    def get(self, path: str, default: Any = None) -> Any:
        self.seen.add(path)
        return super().get(path, default)

    def __setitem__(self, path: str, value: Any) -> None:
        self.seen.add(path)
        (mtime_ns, _), _ = value
        if time.time_ns() - mtime_ns < RACY_NS:
            # The file may change again within the clock's granularity, keeping its time and size:
            # like git's "racy" entries, such a note is parsed again next time instead of trusted.
            # An older entry stays: its time no longer matches, so it serves only if the bytes are the same.
            return
        self.changed = True
        super().__setitem__(path, value)


def read(path: Path, stamp: str) -> NoteCacheFile:
    """The entries saved at `path` under the same fingerprint, else none."""
    entries = load(path, stamp)
    if not isinstance(entries, dict):
        return NoteCacheFile({})
    if not all(_entry(value) for value in entries.values()):
        return NoteCacheFile({})
    return NoteCacheFile(entries)


def _entry(value: object) -> bool:
    """Whether `value` has the shape of a cache entry."""
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], tuple) and len(value[1]) == 3):
        return False
    return isinstance(value[1][0], Note)


@contextlib.contextmanager
def note_cache(project: Path, notes_root: Path, slugify: Slugify, separator: str) -> Iterator[NoteCacheFile]:
    """A cache to pass to `load_vault`; saved on exit if a note was parsed or removed."""
    path = cache_path(project, notes_root)
    stamp = fingerprint(slugify, separator)
    cache = read(path, stamp)
    yield cache
    if cache.changed or cache.seen != cache.keys():
        save(path, stamp, {key: cache[key] for key in cache.seen if key in cache})


def load_cached(
    notes_root: Path,
    project: Path,
    slugify: Slugify,
    separator: str,
    use_cache: bool = True,
    listed: Listing | None = None,
    unpublished: Sequence[str] = (),
) -> Vault:
    """`load_vault`, reusing the notes parsed by an earlier run when `use_cache`."""
    if not use_cache:
        return load_vault(notes_root, slugify, separator, listed=listed, unpublished=unpublished)
    with note_cache(project, notes_root, slugify, separator) as cache:
        return load_vault(notes_root, slugify, separator, cache, listed, unpublished)
