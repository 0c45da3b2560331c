"""Smoke test of scripts/bench_pathological.py: it runs on tiny sizes and prints its table (no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_pathological.py"


def test_bench_prints_a_row_and_an_exponent_per_shape(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_pathological", SCRIPT)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--sizes", "300", "600", "--repeat", "1", "--markdown"]) == 0
    out = capsys.readouterr().out
    for name in bench.SHAPES:
        rows = [line for line in out.splitlines() if line.startswith(name)]
        assert len(rows) == 2, name  # kb, then Python-Markdown
        assert all(len(row[22:].split()) == 3 for row in rows)  # two timings and the exponent
    assert bench.exponent([1, 2, 4], [3.0, 6.0, 12.0]) == pytest.approx(1.0)
    assert bench.exponent([1, 2, 4], [1.0, 4.0, 16.0]) == pytest.approx(2.0)
