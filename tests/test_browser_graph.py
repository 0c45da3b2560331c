"""The graph page and the local graph in Chromium, against the site built from the real notes/."""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import pytest
from kb.graphview import graph_json

from tests.conftest import Site
from tests.site_helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
READY = ".kb-graph[data-state=ready]"
INTERACTIVE_WITHIN_S = 10  # the 5,000-note graph must be drawn and answer input within this time


@dataclass
class Visit:
    """A browser tab that records console errors and every request it makes."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == []
        foreign = [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"
        ]
        assert foreign == []

    def graph(self, script: str) -> Any:
        """Evaluate `script` with `g` (graphology), `r` (sigma) and `s` (page state) in scope."""
        return self.page.evaluate(
            f"() => {{ const {{graph: g, renderer: r, state: s}} = window.kbGraph; return {script}; }}"
        )

    def node(self, url: str) -> str:
        return self.graph(f"g.findNode((_, a) => a.url === {json.dumps(url)})")


def open_tab(browser: Any, scheme: str = "light") -> tuple[Any, Visit]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    visit = Visit(context.new_page())
    visit.page.on("console", lambda message: message.type == "error" and visit.errors.append(message.text))
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
    visit.page.on("request", lambda request: visit.requests.append(request.url))
    return context, visit


@pytest.fixture
def tab(browser: Any) -> Iterator[Visit]:
    context, visit = open_tab(browser)
    yield visit
    context.close()


def test_graph_page_draws_every_note(tab: Visit, real_site: Site) -> None:
    tab.page.goto(real_site.url + "graph/")
    tab.page.wait_for_selector(READY)
    data = json.loads((real_site.path / "graph.json").read_text(encoding="utf-8"))
    assert len(data["n"]) >= 60  # the shipped notes
    assert tab.graph("g.order") == len(data["n"]) and tab.graph("g.size") == len(data["e"]) // 2
    placed = "g.nodes().every(n => { const d = r.getNodeDisplayData(n); return d && isFinite(d.x) && isFinite(d.y) })"
    assert tab.graph(placed)
    assert tab.graph("r.getNodeDisplayedLabels().size") > 5
    assert tab.page.locator(".kb-graph__canvas canvas.sigma-nodes").count() == 1
    legend = tab.page.locator(".kb-graph__legend button").all_inner_texts()
    assert len(legend) >= len(data["c"]) and legend[0].split()[0] == data["t"][0]
    assert tab.page.locator(".kb-graph__status").inner_text().startswith(f"{len(data['n'])} notes")
    tab.assert_clean()


def test_search_highlights_a_note_and_clicking_it_opens_the_note(tab: Visit, real_site: Site) -> None:
    tab.page.goto(real_site.url + "graph/")
    tab.page.wait_for_selector(READY)
    tab.page.fill(".kb-graph__search", "cms-1500")
    assert tab.page.locator(".kb-graph__results li").first.inner_text() == "CMS-1500 claim form"
    node = tab.node("claims/cms-1500/")
    assert tab.graph(f"s.highlight.has({json.dumps(node)})")
    tab.page.keyboard.press("Enter")
    assert tab.graph("s.selected") == node
    assert tab.graph(f"r.getNodeDisplayData({json.dumps(node)}).highlighted") is True
    dimmed = tab.graph(f"g.filterNodes(n => n !== {json.dumps(node)} && !g.areNeighbors(n, {json.dumps(node)}))")
    assert dimmed and tab.graph(f"r.getNodeDisplayData({json.dumps(dimmed[0])}).label") == ""
    tab.page.wait_for_function("() => !window.kbGraph.renderer.getCamera().isAnimated()")
    box = tab.page.locator(".kb-graph__canvas").bounding_box()
    at = tab.graph(f"r.graphToViewport(g.getNodeAttributes({json.dumps(node)}))")
    tab.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    tab.page.wait_for_url(real_site.url + "claims/cms-1500/")
    tab.assert_clean()


def test_legend_highlights_a_tag(tab: Visit, real_site: Site) -> None:
    tab.page.goto(real_site.url + "graph/")
    tab.page.wait_for_selector(READY)
    button = tab.page.locator(".kb-graph__legend button", has_text="modifiers")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    highlighted = tab.graph("[...s.highlight].map(n => g.getNodeAttribute(n, 'url'))")
    assert "modifiers/modifier-25/" in highlighted and "claims/cms-1500/" not in highlighted
    tab.assert_clean()


def test_note_page_local_graph_leads_to_the_graph_view(tab: Visit, real_site: Site) -> None:
    tab.page.goto(real_site.url + "claims/cms-1500/")
    figure = tab.page.locator("figure.kb-local-graph")
    assert figure.locator("svg a").count() >= 5
    assert not [u for u in tab.requests if u.endswith(("graph.json", "kb-graph-vendor.min.js", "graph.js"))]
    # Material's instant navigation swaps the page in and runs the graph page's scripts. Scroll first and let
    # navigation.tracking (250 ms debounce) note the section, as a reader's scrolling would, before clicking.
    figure.scroll_into_view_if_needed()
    tab.page.wait_for_timeout(600)
    figure.locator("figcaption a").click()
    tab.page.wait_for_selector(READY)
    assert tab.page.url == real_site.url + "graph/?note=claims/cms-1500/"
    assert tab.graph("g.getNodeAttribute(s.selected, 'url')") == "claims/cms-1500/"
    # Leaving by instant navigation (here: back to the note; the same document stays) stops the renderer.
    tab.page.evaluate("() => { window.sameDocument = true; }")
    tab.page.go_back()
    tab.page.wait_for_url(real_site.url + "claims/cms-1500/**")  # navigation.tracking may have added a #section
    tab.page.wait_for_function("() => window.kbGraph === undefined")
    assert tab.page.evaluate("() => window.sameDocument") is True
    tab.assert_clean()


def test_light_and_dark_mode(browser: Any, real_site: Site) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    label = "() => window.kbGraph.renderer.getSetting('labelColor').color.match(/\\d+/g).map(Number)"
    for scheme in ("light", "dark"):
        context, visit = open_tab(browser, scheme)
        visit.page.goto(real_site.url + "graph/")
        visit.page.wait_for_selector(READY)
        brightness = sum(visit.page.evaluate(label))
        assert brightness < 200 if scheme == "light" else brightness > 500
        visit.page.screenshot(path=SCREENSHOTS / f"graph-{scheme}.png")
        if scheme == "light":  # the palette toggle redraws the graph in the other scheme
            visit.page.locator("label[for='__palette_1']").click()
            visit.page.wait_for_function(f"() => ({label})().reduce((a, b) => a + b) > 500")
        visit.assert_clean()
        context.close()


def synthetic_graph(notes: int, links_per_note: int = 9, folders: int = 10) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """A vault-like graph: notes in folders, most links within their folder."""
    rng = random.Random(5000)
    graph = nx.MultiDiGraph()
    words = ["claim", "modifier", "coverage", "payer", "denial", "code", "edit", "rule", "fee", "form"]

    def name(number: int) -> str:
        return f"f{number % folders}/n{number}"

    for number in range(notes):
        title = f"{rng.choice(words).title()} {rng.choice(words)} {number}"
        graph.add_node(
            name(number), kind="note", path=name(number) + ".md", title=title, tags=[f"topic-{number % folders}"]
        )
    for number in range(notes):
        for _ in range(links_per_note):
            other = rng.randrange(notes)
            if rng.random() < 0.8:  # most links stay in the folder
                other = other - other % folders + number % folders
                other -= folders if other >= notes else 0
            graph.add_edge(name(number), name(other))
    urls = {path: path.removesuffix(".md") + "/" for _, path in graph.nodes(data="path")}
    return graph, urls


def test_5000_notes_become_interactive_in_bounded_time(tab: Visit, real_site: Site, tmp_path: Path) -> None:
    graph, urls = synthetic_graph(5000)
    big = shutil.copytree(real_site.path, tmp_path / "site")
    (big / "graph.json").write_text(graph_json(graph, urls), encoding="utf-8")
    with serve(big) as url:
        start = time.perf_counter()
        tab.page.goto(url + "graph/")
        tab.page.wait_for_selector(READY, timeout=INTERACTIVE_WITHIN_S * 1000)
        drawn = tab.page.evaluate("() => window.kbGraph.readyAfterMs") / 1000
        assert tab.graph("g.order") == 5000 and tab.graph("g.size") > 30_000
        assert tab.page.get_attribute(".kb-graph", "data-layout") == "running"  # answers while it arranges
        typed = time.perf_counter()
        tab.page.fill(".kb-graph__search", "4242")
        tab.page.wait_for_selector(".kb-graph__results li")
        answered = time.perf_counter()
        assert tab.page.locator(".kb-graph__results li").first.inner_text().endswith(" 4242")
        tab.page.wait_for_selector(".kb-graph[data-layout=done]", timeout=30_000)
        settled = time.perf_counter() - start
    size = (big / "graph.json").stat().st_size // 1024
    print(
        f"\n5,000 notes, {size} KB graph.json: drawn {drawn:.2f} s after navigation (in page), search answered "
        f"{answered - start:.2f} s after navigation ({(answered - typed) * 1000:.0f} ms after typing), "
        f"layout settled after {settled:.1f} s"
    )
    assert answered - start < INTERACTIVE_WITHIN_S
    tab.assert_clean()
