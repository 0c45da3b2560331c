"""`kb stats`: counts, orphans, dead ends, hubs, overdue reviews and tags."""

from __future__ import annotations

import datetime
import json

import pytest
from kb.analysis import analyze
from kb.cli import main
from kb.stats import format_text, vault_stats

from tests.conftest import NOTES, MakeVault

VAULT: dict[str, str | bytes] = {
    "hub.md": "---\ntitle: Hub\ntags: [claims]\nlast_reviewed: 2026-11-01\n---\n[[a]] [[b]] [[gone]]",
    "a.md": "---\ntitle: A\ntags: [claims, medicare]\nlast_reviewed: 2025-01-01\n---\n[[hub]] [[b]] [[hub]]",
    "b.md": "---\ntitle: B\ntags: [medicare]\nlast_reviewed: 2026-11-01\n---\nno links out",
    "alone.md": "---\ntitle: Alone\n---\n[[alone]]",
}


def test_stats_of_a_small_vault(make_vault: MakeVault) -> None:
    stats = vault_stats(analyze(make_vault(VAULT)), 365, datetime.date(2026, 11, 23))
    assert format_text(stats) == (
        "notes          4\n"
        "links          7 (1 broken)\n"
        "orphans        1: alone\n"
        "dead ends      1: b\n"
        "\n"
        "most linked notes (linked from how many notes)\n"
        "  b    2\n"
        "  a    1\n"
        "  hub  1\n"
        "\n"
        "overdue for review (last_reviewed more than 365 days ago): 2\n"
        "  alone  never reviewed\n"
        "  a      691 days\n"
        "\n"
        "tags\n"
        "  claims    2\n"
        "  medicare  2"
    )


def test_stats_json(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(make_vault(VAULT)), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == 4 and data["links"] == 7 and data["broken_links"] == 1
    assert data["orphans"] == ["alone"] and data["dead_ends"] == ["b"]
    assert data["most_linked"][0] == {"note": "b", "linked_from": 2}
    assert data["overdue"][0] == {"note": "alone", "days": None}
    assert data["tags"] == {"claims": 2, "medicare": 2}


def test_stats_of_the_real_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(NOTES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"notes          {len(analyze(NOTES).vault.notes)}\n")
    assert "\norphans        0\n" in out
