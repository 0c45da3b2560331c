"""The saved result of the last `kb check`: an unchanged vault is answered from one folder listing.

The result is reused only if every file under the notes folder has the same path, modification
time and size, and the settings, kb's code and today's date (review dates age) are the same.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from kb.cachefiles import RACY_NS, cache_path, fingerprint, load, save
from kb.diagnostics import Diagnostic
from kb.files import FileEntry, listing
from kb.pickling import pickled_by_fields
from kb.settings import Settings

KIND = "check"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `kb check` reports: its diagnostics, and the notes it checked."""

    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VaultState:
    """The notes folder as a check sees it on `today`: `stamp` digests everything its result depends on,
    `checker` what the notes' own findings depend on besides the files (kb's code, the settings; not
    the day, which only review dates depend on); `settled` if no file was modified just now."""

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
    files = [(entry.path, entry.stamp) for entry in entries]  # repr of tuples: 10x quicker than of dataclasses
    stamp = hashlib.sha256(repr((checker, today.isoformat(), files, problems)).encode()).hexdigest()
    newest = max((entry.stamp[0] for entry in entries), default=0)
    return VaultState(stamp, checker, today, time.time_ns() - newest >= RACY_NS, entries, problems)


def saved_result(project: Path, root: Path, state: VaultState) -> CheckResult | None:
    """The result saved for this very state of the vault, if any."""
    saved = load(cache_path(project, root, KIND), state.stamp)
    return saved if isinstance(saved, CheckResult) else None


def save_result(project: Path, root: Path, state: VaultState, result: CheckResult) -> None:
    """Keep `result` for the next check, unless a file is too new to be trusted to show its changes."""
    if state.settled:
        save(cache_path(project, root, KIND), state.stamp, result)
