"""`kb check` and `kb graph` as a user runs them: output, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kb.cli import main

from tests.conftest import MakeVault, frontmatter, run_kb

BROKEN = {
    "coding/cpt.md": frontmatter("CPT") + "# CPT\n\nSee the\n    [[hcpcs-level-2]] codes.\n",
    "coding/hcpcs-level-ii.md": frontmatter("HCPCS Level II") + "# HCPCS\n[[CPT]]\n",
}
LINKED = {"a.md": frontmatter("A") + "[[b]]", "b.md": frontmatter("B") + "[[a]]"}


def test_check_prints_compiler_style_lines_and_fails(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault(BROKEN)
    monkeypatch.chdir(root.parent)
    code, out, err = run_kb(capsys, "check", "notes")
    assert code == 1
    assert out.splitlines() == [
        "notes/coding/cpt.md:10:5: error[broken-link]: no note named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?",
        "notes/coding/hcpcs-level-ii.md:8:1: warning[case-mismatch]: 'CPT' matches 'coding/cpt.md' "
        "only when case is ignored; write [[cpt]]",
    ]
    assert err == "kb: 1 error, 1 warning in 2 notes\n"


def test_warnings_pass_unless_strict(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_vault({"a.md": frontmatter("A") + "[[B]]", "b.md": frontmatter("B")})
    assert run_kb(capsys, "check", str(root))[0] == 0
    assert run_kb(capsys, "check", str(root), "--strict")[0] == 1


def test_clean_vault_exits_zero(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_kb(capsys, "check", str(make_vault(LINKED)))
    assert (code, out, err) == (0, "", "kb: no problems in 2 notes\n")


def test_json_format(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_kb(capsys, "check", str(make_vault(BROKEN)), "--format", "json")
    assert code == 1
    first = json.loads(out)[0]
    assert first == {
        "path": "coding/cpt.md",
        "line": 10,
        "col": 5,
        "severity": "error",
        "code": "broken-link",
        "message": "no note named 'hcpcs-level-2'",
        "hint": "did you mean [[hcpcs-level-ii]]?",
        "target": "[[hcpcs-level-2]]",
    }


def test_github_format(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault(BROKEN)
    monkeypatch.chdir(root.parent)
    _, out, _ = run_kb(capsys, "check", "notes", "--format", "github")
    assert out.splitlines()[0] == (
        "::error file=notes/coding/cpt.md,line=10,col=5,title=kb broken-link::"
        "no note named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?"
    )
    assert out.splitlines()[1].startswith("::warning file=notes/coding/hcpcs-level-ii.md,line=8,col=1,")


def test_default_folder_comes_from_mkdocs_yml(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault(BROKEN)
    (root.parent / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: notes\nplugins:\n  - search\n  - kb:\n      checks:\n        case-mismatch: ignore\n"
        "markdown_extensions:\n  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n"
        "extra:\n  secret: !ENV [NOT_SET, x]\n"
    )
    monkeypatch.chdir(root.parent)
    code, out, _ = run_kb(capsys, "check")
    assert code == 1
    assert [line.split(": ")[1] for line in out.splitlines()] == ["error[broken-link]"]


def test_without_mkdocs_yml_the_folder_is_notes(
    make_vault: MakeVault, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_vault(BROKEN).parent)
    assert run_kb(capsys, "check")[0] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "no-such-folder"], "kb: error: notes folder 'no-such-folder' not found; pass the folder"),
        (["check", ".", "--config", "missing.yml"], "kb: error: config file 'missing.yml' not found"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_kb(capsys, *argv)
    assert code == 2 and err.startswith(message)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("plugins:\n  - kb:\n      chekcs: {}\n", "unknown kb option 'chekcs'; did you mean 'checks'?"),
        ("plugins:\n  - kb:\n      checks: {broken-links: warning}\n", "unknown check 'broken-links'"),
        ("plugins:\n  - kb:\n      checks: {broken-link: loud}\n", "check 'broken-link' must be one of error, warning"),
        ("plugins: [\n", "mkdocs.yml:2:1: invalid YAML"),
    ],
)
def test_config_mistakes_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "mkdocs.yml").write_text(config)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_kb(capsys, "check")
    assert code == 2 and message in err and "Traceback" not in err


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2


def test_hidden_folders_are_skipped(make_vault: MakeVault, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_vault({**LINKED, ".obsidian/workspace.md": "[[nope]]", ".git/x.md": "[[nope]]"})
    assert run_kb(capsys, "check", str(root))[:2] == (0, "")


def test_graph_json_and_graphml(make_vault: MakeVault, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_vault(
        {
            "coding/cpt.md": "---\ntitle: CPT\n---\n![[chart.png]] [[gone]] [[hcpcs#Part]]",
            "hcpcs.md": "## Part",
            "chart.png": b"x",
        }
    )
    code, out, _ = run_kb(capsys, "graph", str(root))
    data = json.loads(out)
    assert code == 0
    assert {(n["id"], n["kind"]) for n in data["nodes"]} == {
        ("coding/cpt", "note"),
        ("hcpcs", "note"),
        ("chart.png", "file"),
        ("gone", "missing"),
    }
    assert {(e["source"], e["target"], e["anchor"], e["embed"]) for e in data["links"]} == {
        ("coding/cpt", "chart.png", "", True),
        ("coding/cpt", "gone", "", False),
        ("coding/cpt", "hcpcs", "Part", False),
    }
    target = tmp_path / "graph.graphml"
    assert run_kb(capsys, "graph", str(root), "--format", "graphml", "-o", str(target))[0] == 0
    assert target.read_text().startswith("<?xml")


@pytest.mark.parametrize(
    ("toc", "broken_lines"),
    [
        ("toc: {}", []),
        ("toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode", ["notes/b.md:2:1"]),
        (
            "toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: none}}",
            ["notes/b.md:2:1", "notes/b.md:3:1"],
        ),
    ],
)
def test_heading_anchors_follow_the_sites_slugify(
    make_vault: MakeVault,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    toc: str,
    broken_lines: list[str],
) -> None:
    root = make_vault({"a.md": "# Café Crème\n", "b.md": "[[a#Café Crème]]\n[[a#cafe-creme]]\n[[a#café-crème]]\n"})
    (root.parent / "mkdocs.yml").write_text(f"site_name: t\ndocs_dir: notes\nmarkdown_extensions:\n  - {toc}\n")
    monkeypatch.chdir(root.parent)
    _, out, _ = run_kb(capsys, "check")
    assert [line.split(": ")[0] for line in out.splitlines() if "missing-anchor" in line] == broken_lines
