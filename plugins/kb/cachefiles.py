"""The files under `.kb-cache/`: where they go, what their contents depend on, atomic saving.

Light on purpose (no parsing libraries): `kb check` of an unchanged vault needs only this to answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.sections import Slugify

CACHE_DIR = ".kb-cache"
FORMAT = 7  # bump when the layout of a cache file changes
RACY_NS = 3_000_000_000  # a file modified this recently is not trusted to keep its time and size
DIGEST_BYTES = 16  # of a file's SHA-256: plenty to tell two versions of a note apart


def fingerprint(slugify: Slugify, separator: str) -> str:
    """What cached results depend on besides the notes: settings, Python, kb's code and its schema.

    The code counts by content, not file times, so a cache restored into a fresh checkout (CI) still fits.
    """
    package = Path(__file__).parent
    files = (*package.glob("*.py"), *package.glob("*.json"))
    code = sorted((p.name, digest(p.read_bytes())) for p in files)
    parts = (FORMAT, sys.version, describe(slugify), separator, code)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def describe(function: Slugify) -> str:
    """A stable description of a slugify function with its bound options (a partial's keywords)."""
    try:
        return pickle.dumps(function, protocol=4).hex()  # by module and name, with a partial's arguments
    except Exception:  # a closure or lambda: name it, with what it closes over
        cells = [cell.cell_contents for cell in getattr(function, "__closure__", None) or ()]
        return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}{cells!r}"


def digest(data: bytes) -> bytes:
    """A digest of a file's bytes: what tells a file from another of the same size (SHA-256, which
    processors compute fastest, cut to `DIGEST_BYTES`)."""
    return hashlib.sha256(data).digest()[:DIGEST_BYTES]


def read_bytes(path: str) -> bytes:
    """A file's bytes (`Path.read_bytes` costs twice as much, for many small notes)."""
    with open(path, "rb") as file:
        return file.read()


def same_file(path: str, stamp: tuple[int, int], known: tuple[int, int], known_digest: bytes) -> bool:
    """Whether the file at `path`, now of `stamp` (mtime_ns, size), holds what it held when it had the
    `known` stamp and digest: the same time and size, or else the same size and bytes (a checkout, a
    copy or `touch` gives a file a new time, not new content)."""
    if stamp == known:
        return True
    if stamp[1] != known[1]:
        return False
    try:
        return digest(read_bytes(path)) == known_digest
    except OSError:
        return False


def cache_path(project: Path, notes_root: Path, kind: str = "notes") -> Path:
    """The `kind` cache file of one notes folder: several vaults in one project do not share one.
    It is named after the folder's place in the project, so the project can be moved or checked out elsewhere."""
    place = os.path.relpath(notes_root.resolve(), project.resolve())
    return project / CACHE_DIR / f"{kind}-{hashlib.sha256(place.encode()).hexdigest()[:16]}.pickle"


def load(path: Path, stamp: str) -> Any:
    """What was saved at `path` under the same stamp, else None (missing, damaged or out of date)."""
    try:
        with path.open("rb") as file:
            if pickle.load(file) != stamp:  # the stamp comes first: an out-of-date payload is not read
                return None
            return pickle.load(file)
    except Exception:  # a missing, truncated or foreign file only means working it out again
        return None


def save(path: Path, stamp: str, payload: Any) -> None:
    """Replace the file at `path` atomically; a read-only project just goes without a cache."""
    import tempfile  # a check of an unchanged vault saves nothing: it does without it

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(stamp, file, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(payload, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
