"""The graph page: a compact `graph.json` of the notes and their links, and the page that draws it.

graph.json, the only file the graph page fetches (keys are short because it grows with the vault):

    {"v": 1,
     "t": ["claims", "code-sets", "medicare", ...],   # every tag; the first len(c) are colour groups
     "c": ["#4e79a7", "#f28e2b", ...],                 # colour of t[0], t[1], ...; other notes are OTHER
     "n": [["CMS-1500", "claims/cms-1500/", [0, 2]],   # title, URL from the site root, tag indexes
           ["Untagged note", "misc/untagged/"], ...],   # (tag list left out when empty)
     "e": [0, 5, 0, 7, ...]}                           # links as flat pairs of node indexes

A note's colour is that of its first tag. Links are undirected pairs, each listed once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

GRAPH_PAGE = "graph.md"
GRAPH_JSON = "graph.json"
ASSET_DIR = Path(__file__).parent / "assets"
SITE_ASSET_DIR = "assets/kb"
# Files of the graph page under ASSET_DIR; the page loads the style and the script, the script the library.
GRAPH_STYLE, GRAPH_SCRIPT = "graph/graph.css", "graph/graph.js"
GRAPH_ASSETS = (GRAPH_STYLE, GRAPH_SCRIPT, "graph/vendor/kb-graph-vendor.min.js")
# Tableau 10 without its grey, which marks notes outside the colour groups: readable on light and dark.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
OTHER = "#8c8c8c"
# Inside a JSON string these are harmless, but escaped the file stays inert even if pasted into HTML.
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass(frozen=True, slots=True)
class GraphSite:
    """What the graph page and every note's local graph share during one build."""

    urls: Mapping[str, str]  # note path -> page URL from the site root
    colours: Mapping[str, str]  # tag -> colour of the notes whose first tag it is
    page_url: str  # URL of the graph page from the site root


def note_nodes(graph: nx.MultiDiGraph, urls: Mapping[str, str]) -> list[str]:
    """Note nodes that have a page on the site, sorted."""
    return sorted(n for n, data in graph.nodes(data=True) if data.get("kind") == "note" and data.get("path") in urls)


def _groups(graph: nx.MultiDiGraph) -> list[str]:
    """Tags that are some note's first tag, the largest group first."""
    counts = Counter(tags[0] for _, tags in graph.nodes(data="tags") if tags)
    return sorted(counts, key=lambda tag: (-counts[tag], tag))


def tag_order(graph: nx.MultiDiGraph) -> list[str]:
    """Every tag: the groups (see `_groups`), then the other tags by name."""
    groups = _groups(graph)
    return groups + sorted({tag for _, tags in graph.nodes(data="tags") for tag in tags or ()} - set(groups))


def tag_colours(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Colour of each of the largest groups of notes sharing a first tag."""
    return dict(zip(_groups(graph), PALETTE, strict=False))


def node_colour(graph: nx.MultiDiGraph, node: str, colours: Mapping[str, str]) -> str:
    tags = graph.nodes[node].get("tags") or []
    return colours.get(tags[0], OTHER) if tags else OTHER


def graph_data(graph: nx.MultiDiGraph, urls: Mapping[str, str]) -> dict[str, object]:
    """The graph.json document (see the module docstring) for the notes that have a URL."""
    nodes = note_nodes(graph, urls)
    position = {node: number for number, node in enumerate(nodes)}
    tags = tag_order(graph)
    tag_index = {tag: number for number, tag in enumerate(tags)}
    colours = tag_colours(graph)
    entries: list[list[object]] = []
    for node in nodes:
        data = graph.nodes[node]
        entry: list[object] = [data.get("title") or node, urls[data["path"]]]
        if data.get("tags"):
            entry.append([tag_index[tag] for tag in dict.fromkeys(data["tags"])])
        entries.append(entry)
    pairs = {
        (min(position[u], position[v]), max(position[u], position[v]))
        for u, v in graph.edges()
        if u != v and u in position and v in position
    }
    return {
        "v": 1,
        "t": tags,
        "c": [colours[tag] for tag in tags if tag in colours],
        "n": entries,
        "e": [number for pair in sorted(pairs) for number in pair],
    }


def graph_json(graph: nx.MultiDiGraph, urls: Mapping[str, str]) -> str:
    """graph.json as compact text: no spaces, `<`, `>` and `&` escaped."""
    text = json.dumps(graph_data(graph, urls), ensure_ascii=False, separators=(",", ":"))
    return text.translate(_HTML_SAFE)


def root_from(url: str) -> str:
    """The relative path from the page at `url` (from the site root) back to the site root."""
    return "../" * url.count("/")


def graph_page_markdown(page_url: str) -> str:
    """The graph page: its controls, and the scripts that fill them (only this page loads them)."""
    root = root_from(page_url)
    assets = f"{root}{SITE_ASSET_DIR}"
    return f"""---
title: Graph
hide:
  - toc
---

# Graph of the knowledge base

Every note is a dot and every link a line. Scroll to zoom, drag to move, click a dot to open its note.

<div class="kb-graph" data-src="{root}{GRAPH_JSON}" data-root="{root}">
<link rel="stylesheet" href="{assets}/{GRAPH_STYLE}">
<div class="kb-graph__bar">
<div class="kb-graph__find">
<input class="kb-graph__search" type="search" placeholder="Find a note" aria-label="Find a note in the graph"
 autocomplete="off" spellcheck="false" role="combobox" aria-expanded="false" aria-controls="kb-graph-results">
<ul class="kb-graph__results" id="kb-graph-results" role="listbox" hidden></ul>
</div>
<span class="kb-graph__status" role="status">Loading the graph…</span>
</div>
<div class="kb-graph__stage">
<div class="kb-graph__canvas"></div>
<div class="kb-graph__zoom">
<button type="button" data-zoom="in" title="Zoom in" aria-label="Zoom in">+</button>
<button type="button" data-zoom="out" title="Zoom out" aria-label="Zoom out">−</button>
<button type="button" data-zoom="reset" title="Show everything" aria-label="Show everything">⤢</button>
</div>
</div>
<ul class="kb-graph__legend" aria-label="Colour by tag"></ul>
<noscript>The graph needs JavaScript. Every note is also reachable from the navigation and search.</noscript>
</div>
<script src="{assets}/{GRAPH_SCRIPT}"></script>
"""
