"""Cost of the content checks (kb.checks) next to a baseline, the same analysis without them, in one run.

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

from kb import analysis
from kb.notes import load_vault
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
    with tempfile.TemporaryDirectory() as folder:
        for copy in range(copies):
            shutil.copytree(NOTES, Path(folder) / f"copy{copy}")
        vault = load_vault(Path(folder))
        settings = Settings()
        with mock.patch.object(analysis, "check_notes", return_value=[]):
            baseline = best_of(3, lambda: analysis.analyze_vault(vault, settings))
            graph = analysis.analyze_vault(vault, settings).graph
        checks = best_of(3, lambda: analysis.check_notes(vault, graph, settings.stale_after_days))
    notes = len(vault.notes)
    print(f"{notes} notes: analysis without content checks {baseline:.2f} s (baseline)")
    print(
        f"content checks alone: {checks:.2f} s, {checks / notes * 1000:.2f} ms per note, {checks / baseline:.0%} of it"
    )


if __name__ == "__main__":
    main()
