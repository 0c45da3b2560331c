"""Notes MkDocs leaves out of the site (exclude_docs, draft_docs, a top-level templates/ folder) are not
linkable: kb check and the build report a link to one as broken, and no site page links to one."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

import kb.recheck
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import MakeVault, frontmatter, run_kb
from tests.site_helpers import build_site

EXCLUDED = "drafts/\n# ideas are never published\n*-idea.md\n"
NOTES = {
    "index.md": frontmatter("Home") + "# Home\n\nSee [[tpl]], [[wip]], [[claim-idea]] and [[other]].\n",
    "other.md": frontmatter("Other") + "# Other\n\nBack to [[index]].\n",
    "templates/tpl.md": frontmatter("Template") + "# Template\n\n[[other]] and [[nowhere]].\n",
    "drafts/wip.md": frontmatter("Work in progress") + "# Work in progress\n\n[[other]] and [[nowhere]].\n",
    "claims/claim-idea.md": frontmatter("Claim idea") + "# Claim idea\n\n[[other]].\n",
    "claims/claim.md": frontmatter("Claim") + "# Claim\n\n[[other]] and [[templates/tpl.md]].\n",
}


@pytest.fixture
def project(make_vault: MakeVault, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_vault(NOTES)
    mkdocs_yml = "site_name: t\ndocs_dir: notes\nexclude_docs: |\n  drafts/\ndraft_docs: |\n  *-idea.md\n"
    (root.parent / "mkdocs.yml").write_text(mkdocs_yml + "plugins:\n  - search\n  - kb\n")
    monkeypatch.chdir(root.parent)
    return root.parent


def broken_links(out: str) -> list[str]:
    """'path:line:col 'target'' of each broken link `kb check` reported."""
    found = re.findall(r"^(\S+): error\[broken-link\]: no note named ('[^']*')", out, re.MULTILINE)
    return [f"{where} {target}" for where, target in found]


def test_a_link_to_an_unpublished_note_is_broken(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_kb(capsys, "check")
    assert code == 1
    assert broken_links(out) == [
        "notes/claims/claim.md:9:15 'templates/tpl.md'",
        "notes/index.md:9:5 'tpl'",
        "notes/index.md:9:14 'wip'",
        "notes/index.md:9:23 'claim-idea'",
    ]  # and nothing from inside the unpublished notes, which are not built
    assert err.endswith("in 3 notes\n")
    assert "'wip'; 'drafts/wip.md' is left out of the site (exclude_docs or draft_docs" in out
    assert "'claim-idea'; 'claims/claim-idea.md' is left out of the site" in out


def test_an_edit_is_rechecked_with_the_same_hints(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rechecks: list[object] = []
    real = kb.recheck.recheck
    monkeypatch.setattr(kb.recheck, "recheck", lambda *args: rechecks.append(real(*args)) or rechecks[-1])
    hour_ago = time.time() - 3600
    for path in (project / "notes").rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    run_kb(capsys, "check")
    index = project / "notes" / "index.md"
    index.write_text(index.read_text() + "\nAgain: [[wip]].\n")
    os.utime(index, (hour_ago + 60, hour_ago + 60))
    rechecked = run_kb(capsys, "check")
    assert rechecks and rechecks[-1] is not None  # the edited note alone was checked again
    assert rechecked == run_kb(capsys, "check", "--no-cache")
    assert "notes/index.md:11:8: error[broken-link]: no note named 'wip'; 'drafts/wip.md' is left out" in rechecked[1]


def test_the_check_follows_mkdocs_yml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_kb(capsys, "check")  # the result is cached
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  drafts/\n", "  nothing/\n"))
    code, out, _ = run_kb(capsys, "check")
    assert "'wip'" not in out and "notes/drafts/wip.md:9:15: error[broken-link]: no note named 'nowhere'" in out
    config.write_text(config.read_text().replace("exclude_docs: |\n  nothing/\n", "exclude_docs: [drafts]\n"))
    code, out, err = run_kb(capsys, "check")
    assert code == 2 and "mkdocs.yml: 'exclude_docs' must be gitignore-style patterns" in err


def test_no_page_links_to_an_unpublished_note(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for rel, text in NOTES.items():
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text(text, encoding="utf-8")
    site = build_site(notes, tmp_path / "site", exclude_docs=EXCLUDED)
    pages = {path.relative_to(site).as_posix(): path.read_text() for path in site.rglob("*.html")}
    assert "other/index.html" in pages and "claims/claim/index.html" in pages
    assert not [page for page in pages if page.startswith(("templates/", "drafts/", "claims/claim-idea"))]
    for page, html in pages.items():
        for name in ("tpl/", "wip/", "claim-idea/", "Work in progress", "Claim idea"):
            assert name not in html, (page, name)
    assert "Linked from" in pages["other/index.html"] and "Template" not in pages["other/index.html"]


def test_rename_follows_links_from_unpublished_notes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_kb(capsys, "rename", "other", "another", "--no-redirect")
    assert code == 0, err
    for rel in ("drafts/wip.md", "templates/tpl.md", "claims/claim-idea.md", "index.md"):
        text = (project / "notes" / rel).read_text()
        assert "[[another]]" in text and "[[other]]" not in text, rel


def test_new_does_not_reuse_an_unpublished_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_kb(capsys, "new", "WIP")
    assert code == 2 and "a note named 'wip' already exists (drafts/wip.md)" in err


def test_mkdocs_serve_builds_the_drafts_with_their_links(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`mkdocs serve` shows the draft_docs pages (MkDocs marks them DRAFT): kb renders and checks them there
    as published notes, while `mkdocs build` (and `kb check`) leaves them out."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    for command, serve_url in (("serve", "http://127.0.0.1:8000/"), ("build", None)):
        caplog.clear()
        config = load_config(str(project / "mkdocs.yml"))
        config.plugins.on_startup(command=command, dirty=False)
        build(config, serve_url=serve_url)
        site = Path(config.site_dir)
        broken = [r.getMessage() for r in caplog.records if "[broken-link]" in r.getMessage()]
        draft = site / "claims/claim-idea/index.html"
        if command == "serve":
            assert '<a href="../../other/">Other</a>' in draft.read_text()
            assert "[[" not in draft.read_text()
            assert '<a href="claims/claim-idea/">Claim idea</a>' in (site / "index.html").read_text()
            assert [m for m in broken if "claim-idea" in m] == []
            assert any("'wip'" in m for m in broken)  # exclude_docs: never shown
        else:
            assert not draft.exists()
            assert any("'claim-idea'" in m for m in broken)
