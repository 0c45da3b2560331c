"""An on-disk cache of parsed notes, so an unchanged vault is not parsed again.

`kb check` and every `mkdocs build` or `serve` rebuild (which re-creates the plugin each time)
read one file under `.kb-cache/` in the project folder, never under the notes folder. An entry
is reused only for the same path, modification time and size; the whole file is ignored when
the parsing settings, the Python version or kb's own code differ, or when it cannot be read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kb.notes import Note, Vault, load_vault
from kb.sections import Slugify

CACHE_DIR = ".kb-cache"
FORMAT = 1  # bump when the layout of the file changes
RACY_NS = 3_000_000_000  # a note modified this recently is not cached


class NoteCacheFile(dict[str, Any]):
    """path -> ((mtime_ns, size), Note, diagnostics), remembering whether anything changed."""

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__(entries)
        self.seen: set[str] = set()
        self.changed = False

    def get(self, path: str, default: Any = None) -> Any:
        self.seen.add(path)
        return super().get(path, default)

    def __setitem__(self, path: str, value: Any) -> None:
        self.seen.add(path)
        (mtime_ns, _), _, _ = value
        if time.time_ns() - mtime_ns < RACY_NS:
            # The file may change again within the clock's granularity, keeping its time and size:
            # like git's "racy" entries, such a note is parsed again next time instead of trusted.
            self.pop(path, None)
            return
        self.changed = True
        super().__setitem__(path, value)


def fingerprint(slugify: Slugify, separator: str) -> str:
    """What parsed notes depend on besides the note itself: settings, Python and kb's code."""
    package = Path(__file__).parent
    code = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in package.glob("*.py"))
    parts = (FORMAT, sys.version, describe(slugify), separator, code)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def describe(function: Slugify) -> str:
    """A stable description of a slugify function with its bound options (a partial's keywords)."""
    try:
        return pickle.dumps(function, protocol=4).hex()  # by module and name, with a partial's arguments
    except Exception:  # a closure or lambda: name it, with what it closes over
        cells = [cell.cell_contents for cell in getattr(function, "__closure__", None) or ()]
        return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}{cells!r}"


def cache_path(project: Path, notes_root: Path) -> Path:
    """The cache file of one notes folder: several vaults in one project do not share one."""
    digest = hashlib.sha256(str(notes_root.resolve()).encode()).hexdigest()[:16]
    return project / CACHE_DIR / f"notes-{digest}.pickle"


def read(path: Path, stamp: str) -> NoteCacheFile:
    """The entries saved at `path` under the same fingerprint, else none."""
    try:
        with path.open("rb") as file:
            saved = pickle.load(file)
    except Exception:  # a missing, truncated or foreign file only means parsing again
        return NoteCacheFile({})
    if not (isinstance(saved, tuple) and len(saved) == 2 and saved[0] == stamp and isinstance(saved[1], dict)):
        return NoteCacheFile({})
    entries = saved[1]
    if not all(isinstance(v, tuple) and len(v) == 3 and isinstance(v[1], Note) for v in entries.values()):
        return NoteCacheFile({})
    return NoteCacheFile(entries)


def write(path: Path, stamp: str, entries: dict[str, Any]) -> None:
    """Replace the file at `path` atomically; a read-only project just goes without a cache."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((stamp, entries), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


@contextlib.contextmanager
def note_cache(project: Path, notes_root: Path, slugify: Slugify, separator: str) -> Iterator[NoteCacheFile]:
    """A cache to pass to `load_vault`; saved on exit if a note was parsed or removed."""
    path = cache_path(project, notes_root)
    stamp = fingerprint(slugify, separator)
    cache = read(path, stamp)
    yield cache
    if cache.changed or cache.seen != cache.keys():
        write(path, stamp, {key: cache[key] for key in cache.seen if key in cache})


def load_cached(notes_root: Path, project: Path, slugify: Slugify, separator: str, use_cache: bool = True) -> Vault:
    """`load_vault`, reusing the notes parsed by an earlier run when `use_cache`."""
    if not use_cache:
        return load_vault(notes_root, slugify, separator)
    with note_cache(project, notes_root, slugify, separator) as cache:
        return load_vault(notes_root, slugify, separator, cache)
