"""graph.json (compact, escaped, deduplicated, site URLs) and the graph page's Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kb.analysis import analyze
from kb.graphview import OTHER, PALETTE, graph_data, graph_json, graph_page_markdown, root_from, tag_colours


def vault(tmp_path: Path, notes: dict[str, str]):
    for path, text in notes.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return analyze(tmp_path).graph


def note(title: str, tags: str = "", body: str = "") -> str:
    tag_line = f"tags: [{tags}]\n" if tags else ""
    return f"---\ntitle: {json.dumps(title)}\n{tag_line}---\n\n{body}\n"


DIRECTORY_URLS = {"a.md": "a/", "b.md": "b/", "sub/c.md": "sub/c/", "index.md": ""}
FILE_URLS = {"a.md": "a.html", "b.md": "b.html", "sub/c.md": "sub/c.html", "index.md": "index.html"}


@pytest.fixture
def small(tmp_path: Path):
    return vault(
        tmp_path,
        {
            "a.md": note("Alpha", "claims, x12", "[[b]] and [[b|again]] and [[sub/c]] and [[a]] and [[nowhere]]"),
            "b.md": note("Beta", "claims", "back to [[a]]"),
            "sub/c.md": note("Gamma", "coverage"),
            "index.md": note("Home"),
        },
    )


def test_compact_shape(small) -> None:
    text = graph_json(small, DIRECTORY_URLS)
    data = json.loads(text)
    assert set(data) == {"v", "t", "c", "n", "e"}
    assert ": " not in text and ", " not in text  # no spaces between items
    assert data["n"] == [
        ["Alpha", "a/", [0, 2]],
        ["Beta", "b/", [0]],
        ["Home", ""],  # no tags: the tag list is left out
        ["Gamma", "sub/c/", [1]],
    ]
    # 'claims' is the largest group, then 'coverage'; 'x12' is never a first tag, so it has no colour.
    assert data["t"] == ["claims", "coverage", "x12"]
    assert data["c"] == list(PALETTE[:2])


@pytest.mark.parametrize("urls", [DIRECTORY_URLS, FILE_URLS], ids=["use_directory_urls", "file_urls"])
def test_urls_come_from_the_mapping(small, urls: dict[str, str]) -> None:
    data = graph_data(small, urls)
    assert [entry[1] for entry in data["n"]] == [urls["a.md"], urls["b.md"], urls["index.md"], urls["sub/c.md"]]


def test_links_are_deduplicated_undirected_pairs(small) -> None:
    # a -> b twice, b -> a, a -> c; the self link and the link to a missing note are left out.
    assert graph_data(small, DIRECTORY_URLS)["e"] == [0, 1, 0, 3]


def test_notes_without_a_page_are_left_out_with_their_links(small) -> None:
    data = graph_data(small, {"a.md": "a/", "sub/c.md": "sub/c/"})
    assert [entry[0] for entry in data["n"]] == ["Alpha", "Gamma"]
    assert data["e"] == [0, 1]


@pytest.mark.parametrize(
    "title",
    [
        '<script>alert("x")</script>',
        'Tom & Jerry\'s "quotes"',
        "</script><img src=x onerror=alert(1)>",
        "line\u2028break",
    ],
)
def test_user_strings_are_escaped(tmp_path: Path, title: str) -> None:
    graph = vault(tmp_path, {"a.md": note(title, '"<b>tag</b>", "&amp"')})
    text = graph_json(graph, {"a.md": "a/"})
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["n"][0][0] == title
    assert data["t"] == ["<b>tag</b>", "&amp"]


def test_colours_follow_group_size_and_run_out_to_other(tmp_path: Path) -> None:
    notes = {f"n{i}.md": note(f"Note {i}", f"t{i:02}") for i in range(len(PALETTE) + 2)}
    notes["extra.md"] = note("Extra", "t05")
    colours = tag_colours(vault(tmp_path, notes))
    assert colours["t05"] == PALETTE[0]  # the largest group gets the first colour
    assert len(colours) == len(PALETTE) and OTHER not in colours.values()


@pytest.mark.parametrize(("page_url", "root"), [("graph/", "../"), ("graph.html", ""), ("kb/graph/", "../../")])
def test_graph_page_refers_to_its_files_relative_to_itself(page_url: str, root: str) -> None:
    assert root_from(page_url) == root
    markdown = graph_page_markdown(page_url)
    assert f'data-src="{root}graph.json"' in markdown
    assert f'<link rel="stylesheet" href="{root}assets/kb/graph/graph.css">' in markdown
    # One script: it loads the vendored library itself, in order, also under instant navigation.
    assert markdown.count("<script") == 1 and f'<script src="{root}assets/kb/graph/graph.js"></script>' in markdown
    assert "http" not in markdown  # nothing from another host
