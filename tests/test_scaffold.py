"""`kb new`: a note with the schema's frontmatter, never over an existing one."""

from __future__ import annotations

import datetime

import pytest
from kb.naming import slug

from tests.conftest import TODAY, MakeVault, run_kb

EXISTING = {
    "claims/cms-1500.md": "---\ntitle: CMS-1500\ntags: [claims, forms]\n---\n",
    "claims/ub-04.md": "---\ntitle: UB-04\ntags: [forms, claims, medicare]\n---\n",
}


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Medicare Beneficiary Identifier", "medicare-beneficiary-identifier"),
        ("CPT (Current Procedural Terminology)", "cpt-current-procedural-terminology"),
        ("Modifier -25: significant, separate E/M", "modifier-25-significant-separate-em"),
        ("Café coding", "cafe-coding"),
    ],
)
def test_slug(title: str, name: str) -> None:
    assert slug(title) == name


def test_new_writes_the_frontmatter_and_prints_the_path(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault(EXISTING)
    monkeypatch.chdir(root.parent)
    code, out, err = run_kb(capsys, "new", "Medicare Beneficiary Identifier", "--folder", "claims")
    assert (code, out) == (0, "notes/claims/medicare-beneficiary-identifier.md\n")
    assert err == "kb: now write its description, text and sources, then run `kb check`\n"
    assert (root / "claims/medicare-beneficiary-identifier.md").read_text() == (
        "---\ntitle: Medicare Beneficiary Identifier\ndescription: ''\naliases: []\ntags: [claims, forms]\n"
        f"codes: []\nabbr: {{}}\nsources: []\nlast_reviewed: {TODAY}\n---\n\n"
        "# Medicare Beneficiary Identifier\n\n"
        "<!-- Start with a one- or two-sentence definition. Then: how it shows up on a claim, common\n"
        "errors and denials, a short example, and links to related notes (see CONTRIBUTING.md). -->\n\n"
        "## Related\n"
    )
    check = run_kb(capsys, "check")
    assert [line for line in check[1].splitlines() if "medicare-beneficiary-identifier.md" in line] == [
        "notes/claims/medicare-beneficiary-identifier.md:1:1: info[orphan-note]: no note links here and this note "
        "links to no other; link it from a related note, e.g. add [[medicare-beneficiary-identifier]] to that note's "
        "## Related list",
        "notes/claims/medicare-beneficiary-identifier.md:3:1: error[frontmatter-schema]: 'description' is empty; "
        "write one sentence (under ~160 characters), shown in the glossary and search results",
        "notes/claims/medicare-beneficiary-identifier.md:8:1: warning[source-missing]: the note cites no sources; "
        'list the public sources of its facts, e.g. sources: ["CMS, Medicare Claims Processing Manual, Chapter 12"]',
    ]


def test_new_without_folder_goes_to_the_notes_root(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_vault(EXISTING)
    code, out, _ = run_kb(capsys, "new", "ABN", str(root))
    assert code == 0 and out.strip().endswith("/notes/abn.md")
    text = (root / "abn.md").read_text()
    assert "tags: []\n" in text and f"last_reviewed: {datetime.date.today().isoformat()}\n" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["CMS 1500", "--folder", "claims"], "a note named 'cms-1500' already exists (claims/cms-1500.md); open it"),
        (["UB-04"], "a note named 'ub-04' already exists (claims/ub-04.md)"),
        (["New", "--folder", "claim"], "no folder 'claim' in the notes folder; did you mean 'claims'?"),
        (
            ["Glossary"],
            "cannot make a file name from 'Glossary': 'glossary' at the top of the notes folder is reserved",
        ),
        (
            ["Index", "--folder", "claims"],
            "cannot make a file name from 'Index': 'index' would make the note its folder's",
        ),
        (["   "], 'the title is empty; write it in quotes: kb new "Medicare Beneficiary Identifier"'),
        (["!!!"], "cannot make a file name from '!!!': a folder or file name is empty"),
    ],
)
def test_mistakes_write_nothing(
    make_vault: MakeVault,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    root = make_vault(EXISTING)
    monkeypatch.chdir(root.parent)
    before = sorted(root.rglob("*"))
    code, out, err = run_kb(capsys, "new", *argv)
    assert (code, out) == (2, "") and err.startswith(f"kb: error: {message}")
    assert sorted(root.rglob("*")) == before


def test_new_never_overwrites_a_file(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_vault({"abn.MD": "mine"})  # not a note kb reads, but a file all the same
    (root / "abn.md").symlink_to(root / "abn.MD")
    code, _, err = run_kb(capsys, "new", "ABN", str(root))
    assert code == 2 and "already exists" in err
    assert (root / "abn.MD").read_text() == "mine"
