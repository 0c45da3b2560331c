"""The saved result of the last `kb check`: an unchanged vault is answered from one folder listing.

The result is reused only if the notes folder holds the same files, each note with the same
modification time and size or else the same bytes (a fresh checkout gives every file a new time), and
the settings, kb's code and today's date (review dates age) are the same.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kb.cachefiles import DIGEST_BYTES, RACY_NS, cache_path, fingerprint, load, same_file, save
from kb.diagnostics import Diagnostic
from kb.files import MARKDOWN_SUFFIXES, FileEntry, listing
from kb.pickling import pickled_by_fields
from kb.settings import Settings

KIND = "check"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `kb check` reports: its diagnostics, and the notes it checked."""

    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SavedCheck:
    """A check's `result` on `today`, with each file's (mtime_ns, size) as the check listed it, and the
    digest of each note as it read it (`kb.cachefiles.digest`): `DIGEST_BYTES` a file in listing order,
    zeros for a file that is not a note or could not be read (the digest of no file)."""

    today: datetime.date
    stamps: list[tuple[int, int]]
    digests: bytes
    result: CheckResult

    def digest(self, position: int) -> bytes:
        """The digest of the file at `position` in the listing."""
        return self.digests[position * DIGEST_BYTES : (position + 1) * DIGEST_BYTES]

    def saw(self, position: int, stamp: tuple[int, int], digest: bytes) -> bool:
        """Whether the file at `position` had `stamp` and `digest` when this check read it."""
        return self.stamps[position] == stamp and self.digest(position) == digest


@dataclass(frozen=True, slots=True)
class VaultState:
    """The notes folder as a check sees it on `today`: `stamp` digests everything its result depends on
    but the day and the notes' bytes (the files' paths, kb's code, the settings), `checker` what the notes'
    own findings depend on besides the files (kb's code, the settings); `settled` if no file was
    modified just now."""

    stamp: str
    checker: str
    today: datetime.date
    settled: bool
    entries: list[FileEntry]
    problems: list[Diagnostic]  # from listing the folder


def vault_state(root: Path, settings: Settings, today: datetime.date) -> VaultState:
    """The state of the notes under `root` as `kb check` with `settings` would see it on `today`."""
    entries, problems = listing(root, settings.unpublished)
    options = [getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name != "slugify"]
    parts = (fingerprint(settings.slugify, settings.separator), repr(options))
    checker = hashlib.sha256(repr(parts).encode()).hexdigest()
    paths = [entry.path for entry in entries]
    stamp = hashlib.sha256(repr((checker, paths, problems)).encode()).hexdigest()
    newest = max((entry.stamp[0] for entry in entries), default=0)
    return VaultState(stamp, checker, today, time.time_ns() - newest >= RACY_NS, entries, problems)


def saved_check(project: Path, root: Path, state: VaultState) -> SavedCheck | None:
    """The last check saved of the same files with the same settings, whatever their times and day."""
    saved = load(cache_path(project, root, KIND), state.stamp)
    return saved if isinstance(saved, SavedCheck) and len(saved.stamps) == len(state.entries) else None


def reused_result(project: Path, root: Path, state: VaultState, saved: SavedCheck | None) -> CheckResult | None:
    """`saved`'s result if it holds for `state`: the same day, and every note the same time and size, or
    else the same size and bytes (a fresh checkout or `touch` gives a file a new time, not new content;
    those new times are saved, so that the notes are not read again next time)."""
    if saved is None or saved.today != state.today:
        return None
    moved = [
        i for i, (entry, stamp) in enumerate(zip(state.entries, saved.stamps, strict=True)) if entry.stamp != stamp
    ]
    notes = [i for i in moved if state.entries[i].path.lower().endswith(MARKDOWN_SUFFIXES)]
    if any(state.entries[i].stamp[1] != saved.stamps[i][1] for i in notes):
        return None  # an edit that changed a note's size: no need to read the others
    for i in notes:
        entry = state.entries[i]
        if not same_file(os.path.join(root, entry.path), entry.stamp, saved.stamps[i], saved.digest(i)):
            return None
    if moved:
        _save(project, root, state, SavedCheck(saved.today, _stamps(state), saved.digests, saved.result))
    return saved.result


def save_result(
    project: Path, root: Path, state: VaultState, result: CheckResult, digests: Mapping[str, bytes]
) -> None:
    """Keep `result`, and the `digests` of the notes it was found in (path -> digest), for the next check."""
    blank = bytes(DIGEST_BYTES)
    found = b"".join(digests.get(entry.path, blank) for entry in state.entries)
    _save(project, root, state, SavedCheck(state.today, _stamps(state), found, result))


def _stamps(state: VaultState) -> list[tuple[int, int]]:
    return [entry.stamp for entry in state.entries]


def _save(project: Path, root: Path, state: VaultState, saved: SavedCheck) -> None:
    """Save `saved`, unless a file is too new to be trusted to show its changes."""
    if state.settled:
        save(cache_path(project, root, KIND), state.stamp, saved)
