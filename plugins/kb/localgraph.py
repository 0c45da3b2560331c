"""A note's local graph: the note and the notes it links with, as a small inline SVG.

Computed in Python from the note's own neighbours, so a page costs the same whatever the
size of the vault, and note pages load no script and no graph.json.
"""

from __future__ import annotations

import functools
import math
from html import escape
from urllib.parse import quote

import networkx as nx

from kb.graph import neighbours
from kb.graphview import GraphSite, node_colour
from kb.urls import relative_url

MAX_NEIGHBOURS = 30
WIDTH, ROW, MARGIN = 760, 24, 20
RADIUS_X = 130  # horizontal half-axis of the ellipse the neighbours sit on
MAX_LABEL = 30  # characters of a title shown next to its dot; the full title is in the tooltip
# Links in the SVG use xlink:href: Material's instant navigation rewrites every plain [href] by assignment,
# which throws on an SVG <a> (its href property is read-only).
XLINK = "http://www.w3.org/1999/xlink"


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


@functools.lru_cache(maxsize=1)  # one graph per build: every page of it asks
def _ranks(graph: nx.MultiDiGraph) -> dict[str, tuple[int, str, str]]:
    """Each node's place among neighbours: the best connected first, then by title."""
    return {
        node: (-degree, str(graph.nodes[node].get("title", node)).casefold(), node) for node, degree in graph.degree
    }


def _chosen(graph: nx.MultiDiGraph, node: str, site: GraphSite) -> tuple[list[str], int]:
    """Neighbours to draw (the best connected, then by title) and how many are left out."""
    ranks = _ranks(graph)
    linked = sorted((n for n in neighbours(graph, node) if graph.nodes[n].get("path") in site.urls), key=ranks.get)
    shown = sorted(linked[:MAX_NEIGHBOURS], key=lambda n: ranks[n][1:])
    return shown, len(linked) - len(shown)


def _direction(graph: nx.MultiDiGraph, node: str, other: str) -> str:
    out, into = graph.has_edge(node, other), graph.has_edge(other, node)
    return "links both ways" if out and into else "linked from here" if out else "links here"


def local_graph_html(graph: nx.MultiDiGraph, node: str, site: GraphSite, page_url: str) -> str:
    """A figure with the SVG of `node` and its neighbours, each a link; '' for a note without links."""
    shown, hidden = _chosen(graph, node, site)
    if not shown:
        return ""
    right = math.ceil(len(shown) / 2)
    rows = max(right, 3)
    height = rows * ROW + 2 * MARGIN
    cx, cy, ry = WIDTH / 2, height / 2, height / 2 - MARGIN / 2
    parts = []
    for number, other in enumerate(shown):
        side, row = (1, number) if number < right else (-1, number - right)
        count = right if side == 1 else len(shown) - right
        y = cy + (row - (count - 1) / 2) * ROW
        x = cx + side * RADIUS_X * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2))
        data = graph.nodes[other]
        title = str(data.get("title") or other)
        url = relative_url(site.urls[data["path"]], page_url)
        both = graph.has_edge(node, other) and graph.has_edge(other, node)
        tip = f"{title} ({_direction(graph, node, other)})"
        anchor = "start" if side == 1 else "end"
        parts.append(
            f'<line x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.1f}" y2="{y:.1f}" stroke="currentColor" '
            f'stroke-opacity="{0.45 if both else 0.25}" stroke-width="{1.6 if both else 1}"/>'
        )
        parts.append(
            f'<a xlink:href="{escape(url)}"><title>{escape(tip)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{node_colour(graph, other, site.colours)}"/>'
            f'<text x="{x + side * 11:.1f}" y="{y:.1f}" dy="0.35em" text-anchor="{anchor}">'
            f"{escape(_short(title))}</text>"
            "</a>"
        )
    centre = graph.nodes[node]
    title = str(centre.get("title") or node)
    parts.append(
        f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="10" fill="{node_colour(graph, node, site.colours)}" '
        'stroke="currentColor" stroke-width="2"><title>' + escape(title) + "</title></circle>"
    )
    parts.append(
        f'<text x="{cx:.0f}" y="{cy - 18:.0f}" text-anchor="middle" font-weight="bold" paint-order="stroke" '
        f'style="stroke: var(--md-default-bg-color, #fff)" stroke-width="4">{escape(_short(title))}</text>'
    )
    graph_url = relative_url(site.page_url, page_url) + "?note=" + quote(site.urls[centre["path"]], safe="/")
    summary = f"{len(shown)} of {len(shown) + hidden} linked notes · " if hidden else ""
    svg = (
        f'<svg class="kb-local-graph__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'style="max-width: 100%; height: auto" role="img" '
        f'aria-label="{escape(title)} and the {len(shown) + hidden} notes it links with" '
        f'font-size="13" fill="currentColor" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}">'
        + "".join(parts)
        + "</svg>"
    )
    caption = f'Local graph · {summary}<a href="{escape(graph_url)}">open in the graph view</a>'
    # One line of raw HTML: Markdown leaves it as it is, and no blank line can end the block early.
    # Search skips it: neighbours' titles on every page would blur the search results.
    return (
        f'\n\n<figure class="kb-local-graph" data-search-exclude="">{svg}<figcaption>{caption}</figcaption></figure>\n'
    )
