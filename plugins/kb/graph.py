"""The link graph of a vault (NetworkX), embed cycles and depths, backlinks and exports."""

from __future__ import annotations

import bisect
import io
import json
from collections.abc import Iterable, Sequence

import networkx as nx

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.embeds import MAX_EMBED_DEPTH, Embed
from kb.notes import Note
from kb.resolve import Resolution


def build_graph(notes: Iterable[Note], resolutions: Iterable[Resolution]) -> nx.MultiDiGraph:
    """Nodes: notes (id without `.md`), linked files and missing targets; one edge per link."""
    graph = nx.MultiDiGraph()
    for note in notes:
        graph.add_node(
            note.id,
            kind="note",
            path=note.path,
            title=note.title,
            aliases=list(note.aliases),
            tags=list(note.tags),
        )
    for res in resolutions:
        if res.note is not None:
            target = res.note.id
        elif res.file is not None:
            target = res.file
            graph.add_node(target, kind="file")
        elif res.link.target:
            target = res.link.target
            if graph.nodes.get(target, {}).get("kind", "missing") != "missing":
                target = "missing:" + target
            graph.add_node(target, kind="missing")
        else:
            continue
        graph.add_edge(
            res.source.id,
            target,
            line=res.link.line,
            col=res.link.col,
            anchor=res.link.anchor or "",
            embed=res.link.embed,
        )
    return graph


def neighbours(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Notes linked to or from `node`, itself excluded."""
    linked = set(graph.successors(node)) | set(graph.predecessors(node))
    linked.discard(node)
    return {n for n in linked if graph.nodes[n].get("kind") == "note"}


def backlinks(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, int, int]]:
    """(source note, line, col) of every link into `node` from another note, sorted."""
    return sorted(
        (source, data["line"], data["col"]) for source, _, data in graph.in_edges(node, data=True) if source != node
    )


def _embed_graph(embeds: Sequence[Embed]) -> nx.DiGraph:
    """An edge from each embed to the embeds inside the part it inlines (nodes: positions in `embeds`)."""
    by_note: dict[str, list[int]] = {}
    for number, embed in enumerate(embeds):
        by_note.setdefault(embed.source.path, []).append(number)
    offsets = {path: [embeds[n].link.start for n in numbers] for path, numbers in by_note.items()}
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(embeds)))
    for number, embed in enumerate(embeds):
        inside = by_note.get(embed.target.path, [])
        first = bisect.bisect_left(offsets.get(embed.target.path, []), embed.start)
        last = bisect.bisect_left(offsets.get(embed.target.path, []), embed.end)
        graph.add_edges_from((number, nested) for nested in inside[first:last])
    return graph


def embed_cycles(embeds: Sequence[Embed]) -> list[Diagnostic]:
    """An error at every note embed that ends up embedding itself (A ![[B]], B ![[A]])."""
    graph = _embed_graph(embeds)
    problems = []
    for component in nx.strongly_connected_components(graph):
        for number in component:
            if len(component) == 1 and not graph.has_edge(number, number):
                continue
            successor = next(s for s in graph.successors(number) if s in component)
            path = [number, *nx.shortest_path(graph, successor, number)] if successor != number else [number, number]
            names = [embeds[n].source.name for n in path]
            link = embeds[number].link
            problems.append(
                diag.make(
                    "embed-cycle",
                    embeds[number].source.path,
                    link.line,
                    link.col,
                    "embed cycle: " + " → ".join(names),
                    f"a note cannot embed itself, directly or through others; link instead: {link.raw}",
                    link.raw,
                )
            )
    return problems


def deep_embeds(embeds: Sequence[Embed]) -> list[Diagnostic]:
    """An error at every embed whose nested embeds go deeper than the site inlines (cycles aside)."""
    graph = _embed_graph(embeds)
    graph.remove_nodes_from([n for n in graph if graph.has_edge(n, n)])
    for component in list(nx.strongly_connected_components(graph)):
        if len(component) > 1:
            graph.remove_nodes_from(component)
    depth: dict[int, int] = {}
    deepest: dict[int, int] = {}  # the last embed on the longest chain from each
    for number in reversed(list(nx.topological_sort(graph))):
        below = max(graph.successors(number), key=depth.__getitem__, default=None)
        depth[number] = 1 + (depth[below] if below is not None else 0)
        deepest[number] = number if below is None else deepest[below]
    problems = []
    for number, levels in depth.items():
        if levels <= MAX_EMBED_DEPTH:
            continue
        embed = embeds[number]
        bottom = embeds[deepest[number]].target.name
        problems.append(
            diag.make(
                "embed-depth",
                embed.source.path,
                embed.link.line,
                embed.link.col,
                f"embeds nest {levels} levels deep from here, down to '{bottom}'; "
                f"the site inlines at most {MAX_EMBED_DEPTH}",
                "link to some of these notes instead of embedding them",
                embed.link.raw,
            )
        )
    return problems


def node_link_json(graph: nx.MultiDiGraph) -> str:
    """The graph as NetworkX node-link JSON (`nodes`, `links`)."""
    return json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, indent=1)


def graphml(graph: nx.MultiDiGraph) -> str:
    """The graph as GraphML; list attributes are joined with ', '."""
    flat = graph.copy()
    for _, data in flat.nodes(data=True):
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = ", ".join(value)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
