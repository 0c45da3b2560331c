"""The local graph at the foot of each note: neighbours, cap, links, escaping, valid XML."""

from __future__ import annotations

import itertools
import json
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from kb.analysis import analyze
from kb.graphview import PALETTE, GraphSite, tag_colours
from kb.localgraph import MAX_NEIGHBOURS, local_graph_html
from kb.urls import relative_path, relative_url

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def build(tmp_path: Path, notes: dict[str, str], directory_urls: bool = True):
    for path, text in notes.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    graph = analyze(tmp_path).graph
    stem = {path: path.removesuffix(".md") for path in notes}
    urls = {p: (s + "/" if directory_urls else s + ".html") for p, s in stem.items()}
    site = GraphSite(urls, tag_colours(graph), "graph/" if directory_urls else "graph.html")
    return graph, site


def note(title: str, body: str = "", tags: str = "") -> str:
    return f"---\ntitle: {json.dumps(title)}\ntags: [{tags}]\n---\n\n{body}\n"


def links(figure: ET.Element) -> dict[str, str]:
    """Title shown -> href of every note drawn around the centre."""
    return {a.find(f"{SVG}text").text: a.get(XLINK_HREF) for a in figure.iter(f"{SVG}a")}


@pytest.mark.parametrize(
    ("url", "from_url", "expected"),
    [
        ("claims/cms-1500/", "coding/cpt/", "../../claims/cms-1500/"),
        ("coding/icd/", "coding/cpt/", "../icd/"),
        ("claims/cms-1500.html", "coding/cpt.html", "../claims/cms-1500.html"),
        ("cpt.html", "cpt2.html", "cpt.html"),
        ("", "coding/cpt/", "../../"),
        ("graph/", "", "graph/"),
        ("coding/", "coding/", "./"),
    ],
)
def test_relative_url(url: str, from_url: str, expected: str) -> None:
    assert relative_url(url, from_url) == expected


def test_relative_url_agrees_with_posixpath_relpath() -> None:
    urls = ["", ".", "./"]  # MkDocs writes the home page's URL as "./"
    for depth in (1, 2, 3):
        for parts in itertools.product(["a", "b", "a.html"], repeat=depth):
            urls += ["/".join(parts), "/".join(parts) + "/"]
    for url, from_url in itertools.product(urls, urls):
        expected = posixpath.relpath("/" + url, "/" + from_url.rpartition("/")[0])
        expected = "./" if expected == "." else expected + "/" if url.endswith("/") or not url else expected
        assert relative_url(url, from_url) == expected, (url, from_url)
        if url and from_url:
            expected = posixpath.relpath("/" + url, "/" + posixpath.dirname(from_url))
            assert (relative_path(url, from_url) or ".") == expected, (url, from_url)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_note_and_its_neighbours_each_link_to_their_page(tmp_path: Path, directory_urls: bool) -> None:
    graph, site = build(
        tmp_path,
        {
            "coding/cpt.md": note("CPT", "[[hcpcs]] and [[cpt]]", "code-sets"),
            "coding/hcpcs.md": note("HCPCS", "", "code-sets"),
            "claims/cms-1500.md": note("CMS-1500", "uses [[cpt]]", "claims"),
            "claims/unrelated.md": note("Unrelated", "[[hcpcs]]"),
        },
        directory_urls,
    )
    page = site.urls["coding/cpt.md"]
    figure = ET.fromstring(local_graph_html(graph, "coding/cpt", site, page))
    expected = (
        {"HCPCS": "../hcpcs/", "CMS-1500": "../../claims/cms-1500/"}
        if directory_urls
        else {"HCPCS": "hcpcs.html", "CMS-1500": "../claims/cms-1500.html"}
    )
    assert links(figure) == expected
    texts = [t.text for t in figure.iter(f"{SVG}text")]
    assert "CPT" in texts and "Unrelated" not in texts
    fills = {c.get("fill") for c in figure.iter(f"{SVG}circle")}
    assert fills == {PALETTE[0], PALETTE[1]}  # coloured by first tag, as on the graph page
    caption = figure.find("figcaption/a")
    graph_link = "../../graph/?note=coding/cpt/" if directory_urls else "../graph.html?note=coding/cpt.html"
    assert caption is not None and caption.get("href") == graph_link


def test_neighbours_are_capped_keeping_the_best_connected(tmp_path: Path) -> None:
    count = MAX_NEIGHBOURS + 12
    notes = {"hub.md": note("Hub", " ".join(f"[[n{i:02}]]" for i in range(count)))}
    notes |= {f"n{i:02}.md": note(f"N{i:02}", "[[n00]]" if i else "") for i in range(count)}
    graph, site = build(tmp_path, notes)
    html = local_graph_html(graph, "hub", site, "hub/")
    figure = ET.fromstring(html)
    shown = links(figure)
    assert len(shown) == MAX_NEIGHBOURS
    assert "N00" in shown  # linked from every other note, so drawn first
    assert f"{MAX_NEIGHBOURS} of {count} linked notes" in html


def test_a_note_without_links_has_no_local_graph(tmp_path: Path) -> None:
    graph, site = build(tmp_path, {"a.md": note("A", "[[missing]] [[a]]"), "b.md": note("B")})
    assert local_graph_html(graph, "a", site, "a/") == ""


def test_titles_and_urls_are_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(\"x\")</script> & 'q'"
    graph, site = build(tmp_path, {"a.md": note(evil, "[[b]]"), "b.md": note("B&B <i>"), "c.md": note("C", "[[a]]")})
    site = GraphSite({**site.urls, "b.md": 'b/?x="1"&y=<2>/'}, site.colours, site.page_url)
    html = local_graph_html(graph, "a", site, "a/")
    assert "<script" not in html and "<i>" not in html
    figure = ET.fromstring(html)  # valid XML, namespaces declared
    assert figure.find(f"{SVG}svg").get("aria-label").startswith(evil)
    assert links(figure)["B&B <i>"] == '../b/?x="1"&y=<2>/'
    assert [t.text for t in figure.iter(f"{SVG}title")][-1] == evil


def test_cost_does_not_grow_with_the_vault(tmp_path: Path) -> None:
    notes = {"a.md": note("A", "[[b]]"), "b.md": note("B")}
    graph, site = build(tmp_path / "small", notes)
    small = local_graph_html(graph, "a", site, "a/")
    notes |= {f"other{i}.md": note(f"Other {i}", f"[[other{i + 1}]]") for i in range(300)}
    graph, site = build(tmp_path / "large", notes)
    assert local_graph_html(graph, "a", site, "a/") == small
