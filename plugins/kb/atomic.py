"""Change several files all-or-nothing: stage temporary files, replace, and on any error put everything back."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; every file was restored."""


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(path: Path, data: bytes, mode: int) -> Path:
    """A hidden temporary file next to `path` (same file system, so the replace is atomic)."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".kb-tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _missing_parents(path: Path) -> list[Path]:
    return [parent for parent in reversed(path.parents) if not parent.exists()]


def replace_files(writes: Mapping[Path, bytes], deletes: Iterable[Path] = ()) -> None:
    """Write every file in `writes` and delete every file in `deletes`, or change none of them.

    Raises WriteError naming the file that failed, after restoring every file already changed.
    """
    deletes = list(deletes)
    originals: dict[Path, tuple[bytes, int] | None] = {}
    for path in [*writes, *deletes]:
        originals[path] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) if path.exists() else None
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    changed: list[Path] = []
    current = None
    try:
        for path, data in writes.items():
            current = path
            parents = _missing_parents(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            created += parents
            original = originals[path]
            staged.append((_stage(path, data, original[1] if original else _default_mode()), path))
        for temporary, path in staged:
            current = path
            os.replace(temporary, path)
            changed.append(path)
        for path in deletes:
            current = path
            path.unlink()
            changed.append(path)
    except BaseException as error:
        _restore(changed, originals, [t for t, p in staged if p not in changed], created)
        if not isinstance(error, OSError):
            raise
        reason = error.strerror or str(error)
        raise WriteError(f"could not write {current}: {reason}; every file was left as it was") from error


def _restore(
    changed: list[Path], originals: Mapping[Path, tuple[bytes, int] | None], leftovers: list[Path], created: list[Path]
) -> None:
    """Put back the bytes and permissions of every changed file; remove what this run created."""
    for path in reversed(changed):
        original = originals[path]
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(original[0])
            os.chmod(path, original[1])
    for temporary in leftovers:
        temporary.unlink(missing_ok=True)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()
