"""Content checks: review dates, sources, orphans; configurable levels; the real notes pass."""

from __future__ import annotations

import datetime
import logging
import shutil
from pathlib import Path

import pytest
from kb.analysis import analyze
from kb.checks import lonely_notes, orphan_notes, review_dates
from kb.cli import main
from kb.diagnostics import format_text
from kb.settings import Settings
from kb.vault import load_vault

from tests.conftest import NOTES, REPO, TODAY, MakeVault
from tests.test_build import build_vault

CHECKED_ON = datetime.date(2026, 11, 23)  # a fixed day, so the ages in messages are fixed


def checked(root: Path, codes: set[str], stale_after_days: int = 365) -> list[str]:
    vault = load_vault(root)
    orphans = orphan_notes(vault.notes, lonely_notes({note.id: set() for note in vault.notes}))
    found = [*vault.diagnostics, *orphans, *review_dates(vault, stale_after_days, CHECKED_ON)]
    return sorted(format_text(d) for d in found if d.code in codes)


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [
        ("last_reviewed: 2026-01-02\n", []),
        ("last_reviewed: 2025-11-23\n", []),  # exactly 365 days: not yet stale
        (
            "last_reviewed: 2025-11-22\n",
            [
                "a.md:5:1: warning[stale-note]: last reviewed 2025-11-22, 366 days ago (the limit is 365 days); "
                "coding rules change every year (ICD-10-CM each October 1, HCPCS quarterly): check the note against "
                "its sources, then set last_reviewed: 2026-11-23"
            ],
        ),
        (
            "last_reviewed: '2024-06-30'\n",
            [
                "a.md:5:1: warning[stale-note]: last reviewed 2024-06-30, 876 days ago (the limit is 365 days); "
                "coding rules change every year (ICD-10-CM each October 1, HCPCS quarterly): check the note against "
                "its sources, then set last_reviewed: 2026-11-23"
            ],
        ),
        (
            "",
            [
                "a.md:2:1: warning[stale-note]: the note has never been reviewed (no last_reviewed date); check it "
                "against its sources, then add 'last_reviewed: YYYY-MM-DD' with today's date"
            ],
        ),
        (
            "last_reviewed: 2027-01-01\n",
            [
                "a.md:5:1: warning[stale-note]: last_reviewed 2027-01-01 is in the future; write the date the note was "
                "last checked against its sources (YYYY-MM-DD)"
            ],
        ),
        ("last_reviewed: soon\n", []),  # not a date: frontmatter-schema says so
    ],
)
def test_stale_note(make_vault: MakeVault, reviewed: str, expected: list[str]) -> None:
    root = make_vault({"a.md": f"---\ntitle: A\ndescription: d\nsources: [CMS]\n{reviewed}---\n"})
    assert checked(root, {"stale-note"}) == expected


def test_stale_after_days_is_an_option(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": "---\ntitle: A\nlast_reviewed: 2026-10-01\n---\n"})
    assert checked(root, {"stale-note"}, stale_after_days=30) == [
        "a.md:3:1: warning[stale-note]: last reviewed 2026-10-01, 53 days ago (the limit is 30 days); coding rules "
        "change every year (ICD-10-CM each October 1, HCPCS quarterly): check the note against its sources, then set "
        "last_reviewed: 2026-11-23"
    ]


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ("sources: [CMS manual]\n", []),
        ("sources: CMS manual\n", []),  # a lone text: frontmatter-schema asks for a list
        ("sources: []\n", ["a.md:3:1: warning[source-missing]: the note cites no sources; "]),
        ("sources:\n", ["a.md:3:1: warning[source-missing]: the note cites no sources; "]),
        ("", ["a.md:2:1: warning[source-missing]: the note cites no sources; "]),
    ],
)
def test_source_missing(make_vault: MakeVault, sources: str, expected: list[str]) -> None:
    root = make_vault({"a.md": f"---\ntitle: A\n{sources}---\n"})
    hint = 'list the public sources of its facts, e.g. sources: ["CMS, Medicare Claims Processing Manual, Chapter 12"]'
    assert checked(root, {"source-missing"}) == [line + hint for line in expected]


def test_orphan_note_is_info_and_only_for_notes_with_no_link_in_or_out(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": "[[b]]", "b.md": "x", "alone.md": "[[alone]] [[missing]]", "sub/c.md": "[[a]]"})
    assert [format_text(d) for d in analyze(root).diagnostics if d.code == "orphan-note"] == [
        "alone.md:1:1: info[orphan-note]: no note links here and this note links to no other; link it from a related "
        "note, e.g. add [[alone]] to that note's ## Related list"
    ]


def test_unreadable_frontmatter_is_reported_once(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": "---\ntitle: [oops\n---\nSSN 123-45-6789\n"})
    assert [d.code for d in analyze(root).diagnostics if d.severity == "error"] == ["frontmatter", "phi"]


def test_levels_come_from_the_checks_option(make_vault: MakeVault) -> None:
    root = make_vault({"a.md": "---\ntitle: A\ndescription: d\nsources: [x]\n---\n"})
    levels = {"orphan-note": "error", "stale-note": "ignore"}
    found = analyze(root, Settings(levels=levels)).diagnostics  # type: ignore[arg-type]
    assert [(d.code, d.severity) for d in found] == [("orphan-note", "error")]


def test_kb_check_reads_the_checks_option_from_mkdocs_yml(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault({"a.md": "---\ntitle: A\n---\n"})
    (root.parent / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: notes\nplugins:\n  - kb:\n      stale_after_days: 30\n      checks:\n"
        "        frontmatter-schema: warning\n        source-missing: ignore\n        orphan-note: ignore\n"
    )
    monkeypatch.chdir(root.parent)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert [line.split(": ")[1] for line in out.splitlines()] == ["warning[frontmatter-schema]", "warning[stale-note]"]


CONTENT_CODES = ("frontmatter-schema", "code-format", "phi")


def test_the_real_notes_pass_schema_code_format_and_phi() -> None:
    found = [format_text(d) for d in analyze(NOTES).diagnostics if d.code in CONTENT_CODES]
    assert found == []


def test_the_readme_session_shows_the_real_kb_check_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    edited = readme.split("(a misspelled key and a four-digit code):\n\n```yaml\n", 1)[1].split("```", 1)[0]
    shown = readme.split("$ kb check --changed-only HEAD\n", 1)[1].split("```", 1)[0].splitlines()[:-1]
    shutil.copytree(NOTES, tmp_path / "notes")
    (tmp_path / "notes/reimbursement/incident-to-billing.md").write_text(edited + "# Incident-to billing\n\n[[npi]]\n")
    monkeypatch.chdir(tmp_path)
    main(["check", "notes"])
    assert [line for line in capsys.readouterr().out.splitlines() if "incident-to-billing" in line] == shown


def test_the_mkdocs_build_reports_the_content_checks_like_kb_check(
    make_vault: MakeVault, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_vault(
        {
            "a.md": f"---\ntitle: A\ndescripton: d\ncodes: ['9921']\nlast_reviewed: {TODAY}\n---\n[[b]]\n",
            "b.md": "---\ntitle: B\ndescription: d\nsources: [CMS]\n---\nMRN: 00123456 [[a]]\n",
        }
    )
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    build_vault(root)
    logged = [r.getMessage().removeprefix("kb: ") for r in caplog.records if r.name.startswith("mkdocs.plugins.kb")]
    main(["check", str(root)])
    printed = capsys.readouterr().out.splitlines()
    assert logged == ["notes/" + line.removeprefix(f"{root}/") for line in printed]
    assert [line.split(": ")[1] for line in logged] == [
        "warning[source-missing]",
        "error[frontmatter-schema]",
        "warning[unknown-key]",
        "error[code-format]",
        "warning[stale-note]",
        "error[phi]",
    ]
