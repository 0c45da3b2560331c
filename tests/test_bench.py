"""The benchmark scripts run (no timing is asserted: benchmarks are not tests) and the corpus is right."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from kb.analysis import analyze_vault
from kb.settings import Settings
from kb.vault import load_vault

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import gen_corpus  # noqa: E402


def test_same_seed_same_vault_other_seed_other_vault(tmp_path: Path) -> None:
    def files(seed: int, name: str) -> dict[str, bytes]:
        gen_corpus.generate(tmp_path / name, 60, seed)
        root = tmp_path / name / "notes"
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first = files(1, "a")
    assert first == files(1, "b")
    assert first != files(2, "c")


def test_corpus_has_every_link_form_and_realistic_notes(tmp_path: Path) -> None:
    gen_corpus.generate(tmp_path, 400, 1)
    vault = load_vault(tmp_path / "notes")
    assert len(vault.notes) == 400
    assert len({n.folder for n in vault.notes}) >= 8 and any(n.folder.count("/") >= 2 for n in vault.notes)
    words = [len(re.findall(r"[A-Za-z][\w-]*", n.body)) for n in vault.notes]
    assert min(words) >= 280 and max(words) <= 900 and 350 <= sum(words) / len(words) <= 700
    assert all({"title", "description", "aliases", "tags", "codes"} <= n.meta.keys() for n in vault.notes)
    assert all(len(n.headings) >= 5 for n in vault.notes)
    links = [link for note in vault.notes for link in note.links]
    assert 7 <= len(links) / len(vault.notes) <= 10
    assert any(link.label for link in links) and any(link.embed for link in links)
    assert any(link.anchor and "#" in link.anchor for link in links)  # nested headings
    assert any(link.anchor and link.anchor.startswith("^") for link in links)  # block refs
    assert any(not link.target and link.anchor for link in links)  # same-note headings
    assert any(link.target.endswith(".md") for link in links) and any("/" in link.target for link in links)
    assert any(link.embed and link.target.endswith(".png") for link in links)
    codes = [d.code for d in analyze_vault(vault, Settings()).diagnostics]
    broken = codes.count("broken-link") + codes.count("missing-anchor")
    assert 0.003 <= broken / len(links) <= 0.03
    assert "ambiguous-link" in codes  # duplicate names in different folders
    assert "embed-cycle" not in codes and "broken-embed" not in codes


@pytest.mark.slow
@pytest.mark.parametrize("mode", [[], ["--site-scale"]])
def test_bench_smoke_run(tmp_path: Path, mode: list[str]) -> None:
    command = [sys.executable, str(SCRIPTS / "bench.py"), "--sizes", "200", "--repeat", "1", "--out", str(tmp_path)]
    result = subprocess.run([*command, *mode], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and " s, " in line]
    expected = 2 if mode else 6  # the peer plugins add rows only where installed
    assert len(rows) >= expected, result.stdout
    assert "failed" not in result.stdout and "skipped" not in result.stdout
    assert list(tmp_path.glob("bench-*.md")) and list(tmp_path.glob("bench-*.json"))
    if not mode:
        assert re.search(r"\| mkdocs build with kb / mkdocs build, no kb \| \d+\.\d\dx \|", result.stdout)
        assert "| | 1 note | 200 notes | exponent | exponent above 1 note |" in result.stdout
    else:
        assert re.search(r"site \d+ MB \(\d+ KB/note\)", result.stdout)


def test_the_budget_is_not_predicted_from_a_vault_too_small_to_show_the_cost_per_note() -> None:
    import bench

    case = bench.Case("kb check", lambda folder: [])
    case.runs[1] = [bench.Run(0.5, 30.0, True, 0.5)]  # a one-note vault: half a second of startup
    assert case.predicted(1000) is None
    case.runs[1000] = [bench.Run(2.0, 60.0, True, 2.0)]
    assert case.predicted(10000) == pytest.approx(20.0)


def test_a_ratio_shows_how_far_the_rounds_spread() -> None:
    import bench

    plain, kb = bench.Case("plain", lambda folder: []), bench.Case("kb", lambda folder: [])
    plain.runs[1000] = [
        bench.Run(10.0, 80.0, True, 10.0),
        bench.Run(12.0, 80.0, True, 12.0),
        bench.Run(11.0, 80.0, True, 11.0),
    ]
    kb.runs[1000] = [bench.Run(10.5, 90.0, True, 12.0), bench.Run(15.0, 90.0, True, 13.0), bench.Run(99.0, 90.0, False)]
    assert bench.ratio(kb, plain, 1000) == "1.16x (1.05–1.25x)"  # medians 12.75 and 11.0; the failed round left out
    assert bench.ratio(kb, plain, 1000, cpu=True) == "1.14x (1.08–1.20x)"
    assert bench.ratio(kb, plain, 5000) == "n/a"
    plain.runs[1], kb.runs[1] = plain.runs[1000][:1], kb.runs[1000][:1]
    assert bench.ratio(kb, plain, 1) == "1.05x"  # one round: no range
