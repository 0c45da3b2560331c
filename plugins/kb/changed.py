"""The notes changed since a git revision, for `kb check --changed-only REF`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class ChangedError(Exception):
    """Git cannot say what changed; the message says why and what to do."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ChangedError("--changed-only needs git, which is not installed") from None


def changed_files(root: Path, ref: str) -> set[str]:
    """Paths, relative to `root`, of files under it that differ from `ref` (committed or not) or are new."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ChangedError(
            f"--changed-only needs a git repository, and '{root}' is not in one; check every note instead"
        )
    if _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise ChangedError(
            f"'{ref}' is not a commit, branch or tag of this repository; "
            "use e.g. HEAD~1, main, or origin/main (fetch it first in CI)"
        )
    diff = _git(root, "diff", "--name-only", "-z", ref, "--")
    new = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
    for result in (diff, new):
        if result.returncode != 0:
            raise ChangedError(f"git failed: {result.stderr.strip()}")
    base, notes = Path(top.stdout.strip()), root.resolve()
    found = set()
    for name in (diff.stdout + new.stdout).split("\0"):
        if name:
            relative = os.path.relpath(base / name, notes)
            if not relative.startswith(".."):
                found.add(relative.replace(os.sep, "/"))
    return found
