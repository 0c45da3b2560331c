"""`kb rename`: every link rewritten in its own style, all-or-nothing, with a redirect for the old address."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MakeVault, run_kb

CPT = (
    "---\ntitle: CPT\n---\n# CPT\n\n## Category I\n\nCodes. ^block\n\n"
    "See [[#Category I]], [[cpt#Category I]], [[./hcpcs]] and [[../claims/claim]].\n"
)
HCPCS = """---
title: HCPCS
---
[[cpt]] [[CPT]] [[cpt|CPT codes]] [[cpt#Category I]] ![[cpt#Category I]] [[cpt.md]]
[[code-sets/cpt]] [[/code-sets/cpt]] [[./cpt]] [[ cpt | spaced ]] [[cpt#^block|a block]]

| code set | note |
|---|---|
| CPT | [[cpt\\|the CPT note]] |

Not links: `[[cpt]]` and \\[\\[cpt\\]\\]. Another note: [[cptx]].
"""
CLAIM = "---\ntitle: Claim\n---\n[[../code-sets/cpt#Category I|see]] and [[cpt]].\n"
CPTX = "---\ntitle: CPTX\n---\nA different note with a similar name.\n"
MKDOCS = """site_name: test
docs_dir: notes
plugins:
  - search
  - kb
  # moved notes
  - redirects:
      redirect_maps:
        old-cpt.md: code-sets/cpt.md  # kept from an earlier rename
"""


@pytest.fixture
def vault(make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_vault({"code-sets/cpt.md": CPT, "code-sets/hcpcs.md": HCPCS, "claims/claim.md": CLAIM, "cptx.md": CPTX})
    (root.parent / "mkdocs.yml").write_text(MKDOCS)
    monkeypatch.chdir(root.parent)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        os.path.relpath(path, root.parent): path.read_bytes()
        for path in sorted(root.parent.rglob("*"))
        if path.is_file()
    }


def test_rename_rewrites_every_link_and_records_a_redirect(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_kb(capsys, "rename", "cpt", "current-procedural-terminology")
    assert (code, out) == (0, "")
    assert err == (
        "kb: moved notes/code-sets/cpt.md → notes/code-sets/current-procedural-terminology.md and rewrote "
        "15 links in 3 notes; code-sets/cpt.md redirects to code-sets/current-procedural-terminology.md "
        "(mkdocs.yml)\n"
    )
    assert not (vault / "code-sets/cpt.md").exists()
    assert (vault / "code-sets/current-procedural-terminology.md").read_text() == CPT.replace(
        "[[cpt#Category I]]", "[[current-procedural-terminology#Category I]]"
    )
    assert (
        (vault / "code-sets/hcpcs.md").read_text()
        == """---
title: HCPCS
---
[[current-procedural-terminology]] [[current-procedural-terminology]] [[current-procedural-terminology|CPT codes]] \
[[current-procedural-terminology#Category I]] ![[current-procedural-terminology#Category I]] \
[[current-procedural-terminology.md]]
[[code-sets/current-procedural-terminology]] [[/code-sets/current-procedural-terminology]] \
[[./current-procedural-terminology]] [[ current-procedural-terminology | spaced ]] \
[[current-procedural-terminology#^block|a block]]

| code set | note |
|---|---|
| CPT | [[current-procedural-terminology\\|the CPT note]] |

Not links: `[[cpt]]` and \\[\\[cpt\\]\\]. Another note: [[cptx]].
"""
    )
    assert (vault / "claims/claim.md").read_text() == (
        "---\ntitle: Claim\n---\n[[../code-sets/current-procedural-terminology#Category I|see]] and "
        "[[current-procedural-terminology]].\n"
    )
    assert (vault / "cptx.md").read_text() == CPTX
    assert (vault.parent / "mkdocs.yml").read_text() == MKDOCS.replace(
        "old-cpt.md: code-sets/cpt.md", "old-cpt.md: code-sets/current-procedural-terminology.md"
    ) + "        code-sets/cpt.md: code-sets/current-procedural-terminology.md\n"
    assert run_kb(capsys, "check", "--format", "json")[1].count('"code": "broken-link"') == 0


def test_moving_to_another_folder_fixes_relative_links_both_ways(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_kb(capsys, "rename", "notes/code-sets/cpt.md", "coding/cpt", "--no-redirect")[0] == 0
    moved = (vault / "coding/cpt.md").read_text()
    assert "See [[#Category I]], [[cpt#Category I]], [[../code-sets/hcpcs]] and [[../claims/claim]]." in moved
    hcpcs = (vault / "code-sets/hcpcs.md").read_text()
    assert "[[coding/cpt]] [[/coding/cpt]] [[../coding/cpt]]" in hcpcs
    assert hcpcs.startswith("---\ntitle: HCPCS\n---\n[[cpt]] [[cpt]] [[cpt|CPT codes]]")  # names stay names
    assert (vault / "claims/claim.md").read_text() == CLAIM.replace("../code-sets/cpt", "../coding/cpt")
    assert (vault.parent / "mkdocs.yml").read_text() == MKDOCS


def test_dry_run_prints_a_diff_and_changes_nothing(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(vault)
    code, out, err = run_kb(capsys, "rename", "claims/claim", "claim-form", "--dry-run")
    assert code == 0 and snapshot(vault) == before
    assert out == (
        "rename notes/claims/claim.md → notes/claims/claim-form.md\n"
        "--- a/notes/code-sets/cpt.md\n+++ b/notes/code-sets/cpt.md\n@@ -7,4 +7,4 @@\n \n Codes. ^block\n \n"
        "-See [[#Category I]], [[cpt#Category I]], [[./hcpcs]] and [[../claims/claim]].\n"
        "+See [[#Category I]], [[cpt#Category I]], [[./hcpcs]] and [[../claims/claim-form]].\n"
        "--- a/mkdocs.yml\n+++ b/mkdocs.yml\n"
        "@@ -7,3 +7,4 @@\n   - redirects:\n       redirect_maps:\n"
        "         old-cpt.md: code-sets/cpt.md  # kept from an earlier rename\n"
        "+        claims/claim.md: claims/claim-form.md\n"
    )
    assert err == (
        "kb: would move notes/claims/claim.md → notes/claims/claim-form.md and rewrite 1 link in 1 note; "
        "claims/claim.md redirects to claims/claim-form.md (mkdocs.yml); dry run, nothing changed\n"
    )


def test_a_failure_midway_leaves_every_file_byte_identical(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (vault / "code-sets/hcpcs.md").write_bytes(b"\xef\xbb\xbf" + HCPCS.replace("\n", "\r\n").encode())
    before = snapshot(vault)
    real_replace, calls = os.replace, []

    def failing_replace(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    code, out, err = run_kb(capsys, "rename", "cpt", "cpt-codes")
    assert code == 1 and out == ""
    assert err == f"kb: error: could not write {calls[2]}: Permission denied; every file was left as it was\n"
    assert len(calls) == 3
    assert snapshot(vault) == before  # no temporary file left, no new note, every byte back


def test_windows_line_endings_and_byte_order_mark_are_kept(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (vault / "claims/claim.md").write_bytes(b"\xef\xbb\xbf" + CLAIM.replace("\n", "\r\n").encode())
    assert run_kb(capsys, "rename", "cpt", "cpt-codes")[0] == 0
    assert (vault / "claims/claim.md").read_bytes() == b"\xef\xbb\xbf" + CLAIM.replace("cpt", "cpt-codes").replace(
        "\n", "\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("cpts", "x", "no note named 'cpts'; did you mean code-sets/cpt?"),
        ("cpt", "cptx", "a note named 'cptx' already exists (cptx.md); links [[cptx]] would become ambiguous"),
        ("cpt", "claims/claim", "'claims/claim.md' already exists; choose another name, or merge the two notes"),
        ("cpt", "./glossary", "cannot rename to './glossary': 'glossary' at the top of the notes folder is reserved"),
        ("cpt", "index", "cannot rename to 'index': 'index' would make the note its folder's own page"),
        ("cpt", "cpt#2", "cannot rename to 'cpt#2': 'cpt#2' contains '#', which cannot appear in a [[link]]"),
        ("cpt", "../outside", "cannot rename to '../outside': '..' would leave the notes folder"),
        ("cpt", "cpt.md", "'code-sets/cpt.md' already has that name"),
    ],
)
def test_mistakes_are_explained_and_change_nothing(
    vault: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    before = snapshot(vault)
    code, _, err = run_kb(capsys, "rename", old, new)
    assert code == 2 and err.startswith(f"kb: error: {message}") and err.endswith("; nothing was changed\n")
    assert snapshot(vault) == before


def test_a_name_shared_by_two_notes_needs_its_folder(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_vault({"a/dup.md": "x", "b/dup.md": "y"})
    code, _, err = run_kb(capsys, "rename", "dup", "z", str(root))
    assert code == 2
    assert err.startswith("kb: error: 'dup' matches 2 notes (a/dup.md, b/dup.md); write the folder too, e.g. a/dup")


def test_a_move_that_would_change_where_a_link_goes_is_refused(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_vault({"a/x.md": "[[dup]]", "a/dup.md": "in a", "b/dup.md": "in b"})
    before = snapshot(root)
    code, _, err = run_kb(capsys, "rename", "a/x", "b/x", str(root))  # [[dup]] prefers the note in its own folder
    assert code == 2
    assert err == (
        "kb: error: after the rename some links would reach a different note than before; nothing was changed\n"
    )
    assert snapshot(root) == before


def test_links_written_ahead_to_the_new_name_start_working(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_vault({"mbi.md": "# MBI", "card.md": "[[mbi]] and [[medicare-beneficiary-identifier]]"})
    assert run_kb(capsys, "rename", "mbi", "medicare-beneficiary-identifier", str(root))[0] == 0
    assert (
        root / "card.md"
    ).read_text() == "[[medicare-beneficiary-identifier]] and [[medicare-beneficiary-identifier]]"


def test_a_note_that_is_not_utf8_is_not_rewritten(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (vault / "claims/claim.md").write_bytes(CLAIM.encode() + b"caf\xe9\n")
    before = snapshot(vault)
    code, _, err = run_kb(capsys, "rename", "cpt", "cpt-codes")
    assert code == 2
    assert err == (
        "kb: error: claims/claim.md is not valid UTF-8; re-save it as UTF-8, then rename again; nothing was changed\n"
    )
    assert snapshot(vault) == before


def test_a_path_outside_the_notes_folder_is_refused(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_kb(capsys, "rename", "cpt", str(tmp_path / "elsewhere.md"))
    assert code == 2 and err == f"kb: error: '{tmp_path / 'elsewhere.md'}' is outside the notes folder 'notes'\n"


def test_dot_slash_moves_a_note_to_the_top_of_the_notes_folder(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_kb(capsys, "rename", "claims/claim", "./claim-form", "--no-redirect")[0] == 0
    assert (vault / "claim-form.md").read_text() == CLAIM.replace("../code-sets/cpt", "./code-sets/cpt")
    assert "[[../claim-form]]" in (vault / "code-sets/cpt.md").read_text()
