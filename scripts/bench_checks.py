"""Cost of the content checks (kb.checks) next to a baseline, loading and analysing without them, in one run.

Usage: .venv/bin/python scripts/bench_checks.py [COPIES]   (a vault of COPIES copies of notes/, default 20)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from kb import analysis, vault
from kb.checks import note_checks, vault_checks
from kb.settings import Settings

NOTES = Path(__file__).resolve().parent.parent / "notes"


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        for copy in range(copies):
            shutil.copytree(NOTES, Path(folder) / f"copy{copy}")
        with (
            mock.patch.object(vault, "note_checks", return_value=[]),
            mock.patch.object(analysis, "vault_checks", return_value=[]),
        ):
            baseline = best_of(3, lambda: analysis.analyze(Path(folder), settings))
            unchecked = analysis.analyze(Path(folder), settings)
    notes = unchecked.vault.notes
    per_note = best_of(3, lambda: [note_checks(note, True) for note in notes])
    whole = best_of(3, lambda: vault_checks(unchecked.vault, unchecked.graph, settings.stale_after_days))
    checks = per_note + whole
    print(f"{len(notes)} notes: loading and analysis without content checks {baseline:.2f} s (baseline)")
    print(f"per-note checks {per_note:.2f} s (cached with each parsed note), vault checks {whole:.2f} s")
    print(
        f"content checks in all: {checks:.2f} s, {checks / len(notes) * 1000:.2f} ms per note, "
        f"{checks / baseline:.0%} of the baseline"
    )


if __name__ == "__main__":
    main()
