"""The graph page, graph.json and local graphs in a real MkDocs build of a small vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow

NOTES = {
    "index.md": "# Home\n\nSee [[cpt]].\n",
    "coding/cpt.md": "---\ntitle: CPT <codes>\ntags: [code-sets]\n---\n\n# CPT\n\n[[hcpcs]]\n",
    "coding/hcpcs.md": "---\ntitle: HCPCS\ntags: [code-sets]\n---\n\n# HCPCS\n\nBack to [[cpt]].\n",
}


def build_site(tmp_path: Path, notes: dict[str, str] = NOTES, **settings: object) -> Path:
    for path, text in notes.items():
        (tmp_path / "notes" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "notes" / path).write_text(text, encoding="utf-8")
    kb_options = settings.pop("kb", {})
    config = {
        "site_name": "test",
        "docs_dir": "notes",
        "site_dir": "site",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"kb": kb_options}],
        **settings,
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build(load_config(str(tmp_path / "mkdocs.yml")))
    return tmp_path / "site"


@pytest.mark.parametrize(
    ("directory_urls", "graph_page", "cpt_page", "cpt_url"),
    [
        (True, "graph/index.html", "coding/cpt/index.html", "coding/cpt/"),
        (False, "graph.html", "coding/cpt.html", "coding/cpt.html"),
    ],
)
def test_graph_page_and_json(
    tmp_path: Path, directory_urls: bool, graph_page: str, cpt_page: str, cpt_url: str
) -> None:
    site = build_site(tmp_path, use_directory_urls=directory_urls)
    data = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    assert [cpt_url, "CPT <codes>"] in [[entry[1], entry[0]] for entry in data["n"]]
    page = (site / graph_page).read_text(encoding="utf-8")
    root = "../" if directory_urls else ""
    assert f'data-src="{root}graph.json"' in page
    for asset in ("graph/graph.js", "graph/graph.css"):
        assert f"{root}assets/kb/{asset}" in page
    for asset in ("graph/graph.js", "graph/graph.css", "graph/vendor/kb-graph-vendor.min.js"):
        assert (site / "assets/kb" / asset).is_file()
    note = (site / cpt_page).read_text(encoding="utf-8")
    assert 'class="kb-local-graph"' in note and "HCPCS" in note
    assert "graph.json" not in note and "kb-graph-vendor" not in note  # note pages load no graph script


def test_graph_option_off(tmp_path: Path) -> None:
    site = build_site(tmp_path, kb={"graph": False})
    assert not (site / "graph.json").exists() and not (site / "graph").exists()
    assert not (site / "assets/kb/graph").exists()
    assert "kb-local-graph" not in (site / "coding/cpt/index.html").read_text(encoding="utf-8")


def test_a_note_named_graph_keeps_its_page(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = build_site(tmp_path, {**NOTES, "graph.md": "# My graph theory note\n\n[[cpt]]\n"})
    assert "My graph theory note" in (site / "graph/index.html").read_text(encoding="utf-8")
    assert not (site / "graph.json").exists()
    assert "graph.md:1:1: error[reserved-name]" in caplog.text
