"""The MkDocs plugin, end to end: a small vault built with MkDocs, and the real notes with --strict."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.conftest import REPO, MakeVault, frontmatter

VAULT: dict[str, str | bytes] = {
    "index.md": frontmatter("Home") + "# Home\n\nStart at [[cpt]] or [[cpt#Category II|the second category]].\n",
    "code-sets/cpt.md": (
        frontmatter("CPT <b>codes</b>") + "# CPT\n\n## Category II\n\nTracking codes. ^tracking\n\n"
        "Level II is [[hcpcs-level-ii]]; broken: [[hcpcs-level-2]].\n\n![[chart.png|120]]\n\n[[#Category II]]\n"
    ),
    "code-sets/hcpcs-level-ii.md": (
        frontmatter("HCPCS Level II") + "# HCPCS Level II\n\nBack to [[cpt#^tracking|the tracking codes]].\n\n"
        "![[cpt#Category II]]\n\n![[hcpcs-level-ii]]\n"
    ),
    "code-sets/chart.png": b"\x89PNG\r\n\x1a\n",
}


class Elements(HTMLParser):
    """Collects (tag, attrs, text) of the elements in a page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self.stack: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), ""))
        self.stack.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.found[self.stack.pop()][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self.stack:
            tag, attrs, text = self.found[index]
            self.found[index] = (tag, attrs, text + data)


def article(site: Path, page: str) -> list[tuple[str, dict[str, str | None], str]]:
    html = (site / page).read_text(encoding="utf-8")
    parser = Elements()
    parser.feed(html[html.index("<article") : html.index("</article>")])
    return parser.found


def build_vault(root: Path, strict: bool = False) -> Path:
    config_file = root.parent / "mkdocs.yml"
    config_file.write_text(
        "site_name: test\ndocs_dir: notes\nsite_dir: site\ntheme:\n  name: material\n  font: false\nplugins:\n  - kb\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - toc\n"
    )
    config = load_config(str(config_file), strict=strict)
    build(config)
    return root.parent / "site"


@pytest.fixture
def built(make_vault: MakeVault, caplog: pytest.LogCaptureFixture) -> tuple[Path, list[str]]:
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_vault(make_vault(VAULT))
    return site, [f"{r.levelname}: {r.getMessage()}" for r in caplog.records if r.name.startswith("mkdocs.plugins.kb")]


def links(site: Path, page: str) -> list[tuple[str | None, str]]:
    return [(attrs.get("href"), text) for tag, attrs, text in article(site, page) if tag == "a" and attrs.get("href")]


def test_wikilinks_become_links_to_pages_and_anchors(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    found = links(site, "index.html")
    assert ("code-sets/cpt/", "CPT <b>codes</b>") in found
    assert ("code-sets/cpt/#category-ii", "the second category") in found


def test_same_note_heading_file_embed_and_broken_link(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    elements = article(site, "code-sets/cpt/index.html")
    assert ("a", {"href": "#category-ii"}, "Category II") in [
        (t, {"href": a.get("href")}, x) for t, a, x in elements if t == "a"
    ]
    images = [attrs for tag, attrs, _ in elements if tag == "img"]
    assert images == [{"alt": "chart.png", "src": "../chart.png", "width": "120"}]
    broken = [(attrs, text) for tag, attrs, text in elements if attrs.get("class") == "kb-broken"]
    assert broken == [
        (
            {"class": "kb-broken", "title": "no note named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?"},
            "[[hcpcs-level-2]]",
        )
    ]
    assert not [attrs for tag, attrs, _ in elements if tag == "a" and "hcpcs-level-2" in (attrs.get("href") or "")]


def test_block_reference_and_section_embed(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    assert ("../cpt/#^tracking", "the tracking codes") in links(site, "code-sets/hcpcs-level-ii/index.html")
    cpt = article(site, "code-sets/cpt/index.html")
    assert ("a", {"id": "^tracking", "class": "kb-block"}, "") in cpt
    hcpcs = article(site, "code-sets/hcpcs-level-ii/index.html")
    embeds = [text for tag, attrs, text in hcpcs if attrs.get("class") == "kb-embed"]
    assert len(embeds) == 1 and "Category II" in embeds[0] and "Tracking codes." in embeds[0]
    broken = [(attrs["title"], text) for tag, attrs, text in hcpcs if attrs.get("class") == "kb-broken"]
    assert broken == [  # the embedded section's own broken link, then the self-embed
        ("no note named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?", "[[hcpcs-level-2]]"),
        ("embed cycle: this part is already being embedded here", "[[hcpcs-level-ii]]"),
    ]


def test_backlinks_section_lists_linking_notes_with_context(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    elements = article(site, "code-sets/cpt/index.html")
    (section,) = [text for tag, attrs, text in elements if attrs.get("class") == "kb-backlinks"]
    assert "Linked from" in section
    assert "Back to the tracking codes." in section
    assert "Start at CPT <b>codes</b> or the second category." in section


def test_problems_are_logged_like_kb_check(built: tuple[Path, list[str]]) -> None:
    _, messages = built
    assert messages == [
        "WARNING: kb: notes/code-sets/cpt.md:13:41: error[broken-link]: no note named 'hcpcs-level-2'; "
        "did you mean [[hcpcs-level-ii]]?",
        "WARNING: kb: notes/code-sets/hcpcs-level-ii.md:13:2: error[embed-cycle]: embed cycle: hcpcs-level-ii → "
        "hcpcs-level-ii; a note cannot embed itself, directly or through others; link instead: [[hcpcs-level-ii]]",
    ]


def test_strict_build_fails_on_kb_errors(make_vault: MakeVault) -> None:
    with pytest.raises(Abort):
        build_vault(make_vault(VAULT), strict=True)


def test_build_leaves_notes_untouched(make_vault: MakeVault) -> None:
    root = make_vault(VAULT)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    build_vault(root)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


@pytest.mark.slow
def test_shipped_notes_build_strict(tmp_path: Path) -> None:
    config = load_config(str(REPO / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    build(config)
    assert (tmp_path / "site" / "code-sets" / "cpt" / "index.html").is_file()
