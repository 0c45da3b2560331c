"""`kb check --changed-only REF`: diagnostics of changed files only, links still resolved against every note."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MakeVault, frontmatter, run_kb


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_vault(
        {
            "a.md": frontmatter("A") + "[[b]] [[old-broken]]\n",
            "b.md": frontmatter("B") + "[[a]]\n",
            "c.md": frontmatter("C") + "[[a]]\n",
        }
    )
    git(root.parent, "init", "-q")
    git(root.parent, "add", "-A")
    git(root.parent, "commit", "-qm", "notes")
    monkeypatch.chdir(root.parent)
    return root


def test_only_changed_and_new_files_are_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "b.md").write_text(frontmatter("B") + "[[a]] [[c#Nope]]\n")
    (repo / "d.md").write_text(frontmatter("D") + "[[b]] [[e]]\n")
    code, out, err = run_kb(capsys, "check", "--changed-only", "HEAD")
    assert code == 1
    assert out.splitlines() == [
        "notes/b.md:7:7: error[missing-anchor]: no heading 'Nope' in 'c'; that note has no headings",
        "notes/d.md:7:7: error[broken-link]: no note named 'e'",
    ]
    assert err == "kb: 2 errors in 2 notes changed since HEAD\n"
    assert "old-broken" in run_kb(capsys, "check")[1]  # the full check still sees the unchanged note


def test_nothing_changed_is_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_kb(capsys, "check", "--changed-only", "HEAD") == (
        0,
        "",
        "kb: no problems in 0 notes changed since HEAD\n",
    )


def test_a_deleted_note_breaks_links_in_unchanged_notes_but_they_are_not_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "c.md").unlink()
    assert run_kb(capsys, "check", "--changed-only", "HEAD")[:2] == (0, "")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "kb: error: 'no-such-branch' is not a commit, branch or tag of this repository; use e.g."),
        ("HEAD~5", "kb: error: 'HEAD~5' is not a commit, branch or tag of this repository"),
    ],
)
def test_a_bad_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str], ref: str, message: str) -> None:
    code, _, err = run_kb(capsys, "check", "--changed-only", ref)
    assert code == 2 and err.startswith(message)


def test_outside_a_git_repository(make_vault: MakeVault, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_vault({"a.md": "x"})
    code, _, err = run_kb(capsys, "check", str(root), "--changed-only", "HEAD")
    assert code == 2
    assert err == (
        f"kb: error: --changed-only needs a git repository, and '{root}' is not in one; check every note instead\n"
    )
