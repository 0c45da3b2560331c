"""The link graph: nodes by kind, one edge per link, embed cycles, backlinks, exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from kb.analysis import analyze
from kb.checks import lonely_notes
from kb.graph import backlinks, graphml, neighbours, node_link_json

from tests.conftest import NOTES, MakeVault

VAULT = {
    "a.md": (
        "---\ntitle: Note A\ntags: [claims]\naliases: [AA]\n---\n"
        "[[b]] [[b#Part]] ![[chart.png]] [[missing]] [[#Local]]\n## Local\n"
    ),
    "sub/b.md": "# B\n## Part\nsee [[a]]\n",
    "c.md": "# lonely\n",
    "chart.png": b"png",
}


def test_nodes_have_kinds_and_attributes(make_vault: MakeVault) -> None:
    graph = analyze(make_vault(VAULT)).graph
    assert dict(graph.nodes(data="kind")) == {
        "a": "note",
        "sub/b": "note",
        "c": "note",
        "chart.png": "file",
        "missing": "missing",
    }
    assert graph.nodes["a"] == {
        "kind": "note",
        "title": "Note A",
        "aliases": ["AA"],
        "tags": ["claims"],
        "path": "a.md",
    }


def test_one_edge_per_link_with_position(make_vault: MakeVault) -> None:
    graph = analyze(make_vault(VAULT)).graph
    edges = sorted((u, v, d["line"], d["col"], d["anchor"], d["embed"]) for u, v, d in graph.edges(data=True))
    assert edges == [
        ("a", "a", 6, 45, "Local", False),
        ("a", "chart.png", 6, 19, "", True),
        ("a", "missing", 6, 33, "", False),
        ("a", "sub/b", 6, 1, "", False),
        ("a", "sub/b", 6, 7, "Part", False),
        ("sub/b", "a", 3, 5, "", False),
    ]


def test_backlinks_and_orphans(make_vault: MakeVault) -> None:
    analysis = analyze(make_vault(VAULT))
    assert backlinks(analysis.graph, "sub/b") == [("a", 6, 1), ("a", 6, 7)]
    assert backlinks(analysis.graph, "a") == [("sub/b", 3, 5)]
    assert lonely_notes(analysis.links_to) == {"c"}


@pytest.mark.parametrize("vault", ["inline", "notes"])
def test_the_graph_links_the_notes_that_links_to_says(make_vault: MakeVault, vault: str) -> None:
    """`kb check` finds orphans from `links_to` without the graph; the site's pages read the graph."""
    analysis = analyze(make_vault(VAULT) if vault == "inline" else NOTES)
    linked_from: dict[str, set[str]] = {note_id: set() for note_id in analysis.links_to}
    for source, targets in analysis.links_to.items():
        for target in targets:
            linked_from[target].add(source)
    assert any(analysis.links_to.values())
    for note_id, targets in analysis.links_to.items():
        assert neighbours(analysis.graph, note_id) == targets | linked_from[note_id]


def test_node_link_json_round_trips(make_vault: MakeVault) -> None:
    graph = analyze(make_vault(VAULT)).graph
    data = json.loads(node_link_json(graph))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["links"]) == graph.number_of_edges()
    rebuilt = nx.node_link_graph(data, edges="links")
    assert rebuilt.number_of_edges() == graph.number_of_edges()


def test_graphml_is_valid_xml_with_joined_lists(make_vault: MakeVault) -> None:
    tree = ET.fromstring(graphml(analyze(make_vault(VAULT)).graph))
    values = [element.text for element in tree.iter() if element.tag.endswith("data")]
    assert "AA" in values and "claims" in values


def test_missing_target_named_like_a_note_gets_its_own_node(make_vault: MakeVault) -> None:
    graph = analyze(make_vault({"a.md": "[[../a]]", "b.md": "x"})).graph
    assert graph.nodes["../a"]["kind"] == "missing"


def embed_cycle_messages(make_vault: MakeVault, files: dict[str, str | bytes]) -> list[str]:
    return [
        f"{d.path}:{d.line}:{d.col}: {d.text}"
        for d in analyze(make_vault(files)).diagnostics
        if d.code == "embed-cycle"
    ]


def test_embed_cycles_are_reported_at_each_embed(make_vault: MakeVault) -> None:
    hint = "a note cannot embed itself, directly or through others; link instead"
    assert embed_cycle_messages(make_vault, {"a.md": "![[b]]", "b.md": "x\n![[a]]", "self.md": "![[self]]"}) == [
        f"a.md:1:2: embed cycle: a → b → a; {hint}: [[b]]",
        f"b.md:2:2: embed cycle: b → a → b; {hint}: [[a]]",
        f"self.md:1:2: embed cycle: self → self; {hint}: [[self]]",
    ]


def test_section_embeds_are_cycles_only_when_the_section_embeds_back(make_vault: MakeVault) -> None:
    files: dict[str, str | bytes] = {
        "a.md": "![[b#One]]\n",
        "b.md": "# One\ntext\n# Two\n![[a]]\n",
    }
    assert embed_cycle_messages(make_vault, files) == []
    files["b.md"] = "# One\n![[a]]\n# Two\n"
    assert len(embed_cycle_messages(make_vault, files)) == 2


def test_a_chain_of_embeds_is_not_a_cycle(make_vault: MakeVault) -> None:
    files: dict[str, str | bytes] = {f"n{i}.md": f"![[n{i + 1}]]" for i in range(50)}
    files["n50.md"] = "end"
    assert embed_cycle_messages(make_vault, files) == []
