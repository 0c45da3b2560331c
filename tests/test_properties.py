"""Property-based tests (Hypothesis) of the scanner, the graph and link rendering.

Two settings profiles: `kb-dev` explores new examples on every run; `kb-ci` (chosen when the CI
environment variable is set, as in .ci/run) is derandomized, so CI runs the same examples each time.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import markdown
from harness import page_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb.analysis import analyze_vault
from kb.notes import Vault, parse_note
from kb.render import Page, md_text, render_markdown
from kb.sanitize import sanitize
from kb.sections import find_headings
from kb.settings import Settings
from kb.wikilinks import excluded_spans, scan, unclosed

settings.register_profile("kb-dev", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "kb-ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("kb-ci" if os.environ.get("CI") else "kb-dev")

# Text made mostly of the characters the scanner cares about, so links, code and comments are common.
MARKUP = st.sampled_from([*"[[]]!#|^\\`~%-<>\n \t", "[[", "]]", "```", "%%", "<!--", "-->", "---\n", "a", "b", "é"])
MARKDOWNISH = st.lists(MARKUP, max_size=80).map("".join)
TEXT = st.one_of(st.text(max_size=200), MARKDOWNISH)
SITE_EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "toc"]


def offset_of(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + col - 1


@PROFILE
@given(TEXT)
def test_scanner_never_raises_and_every_position_points_at_brackets(text: str) -> None:
    spans = excluded_spans(text)
    links = list(scan(text, spans))
    for link in links:
        at = offset_of(text, link.line, link.col)
        assert text[at : at + 2] == "[["
        assert text[link.start : link.end].startswith("![[" if link.embed else "[[")
        assert text[link.start : link.end].endswith("]]")
    for line, col in unclosed(text, links, spans):
        at = offset_of(text, line, col)
        assert text[at : at + 2] == "[["


@PROFILE
@given(TEXT)
def test_as_many_openers_as_links_means_each_opens_a_link(text: str) -> None:
    """What lets `unclosed` skip its scan when a note has as many `[[` as links."""
    links = list(scan(text, excluded_spans(text)))
    brackets = {link.start + link.embed for link in links}  # where each link's `[[` is
    openers = [match.start() for match in re.finditer(r"\[\[", text)]
    if len(openers) == len(links):
        assert all(at in brackets or at + 1 in brackets for at in openers)


@PROFILE
@given(st.binary(max_size=400))
def test_any_bytes_load_as_a_note_with_positions_inside_the_file(data: bytes) -> None:
    note, problems = parse_note("x.md", data)
    for problem in problems:
        offset_of(note.text, problem.line, problem.col)
    for link in note.links:
        assert note.text[offset_of(note.text, link.line, link.col) :].startswith("[[")


NAMES = ["a", "b", "sub/a", "sub/c", "Sub/C"]
FILES = ["pic.png", "sub/doc.pdf"]
TARGETS = st.sampled_from(
    ["a", "b", "c", "sub/a", "SUB/C", "a.md", "/b", "./a", "../a", "missing", "pic.png", "doc.pdf", "", "alias"]
)
LINKS = st.builds(
    lambda embed, target, anchor, label: f"{'!' if embed else ''}[[{target}{anchor}{label}]]",
    st.booleans(),
    TARGETS,
    st.sampled_from(["", "#H", "#Nope", "#^blk", "#"]),
    st.sampled_from(["", "|label", "|"]),
)
BODY = st.lists(st.one_of(LINKS, st.sampled_from([" text ", "\n\n", "`[[a]]`", "%%[[b]]%%", "\n## H\n", " ^blk\n"])))


@PROFILE
@given(st.dictionaries(st.sampled_from(NAMES), BODY.map("".join), min_size=1))
def test_graph_has_one_edge_per_resolved_link(bodies: dict[str, str]) -> None:
    notes = [
        parse_note(f"{name}.md", f"---\naliases: [alias]\n---\n{body}".encode())[0] for name, body in bodies.items()
    ]
    analysis = analyze_vault(Vault(Path("."), tuple(notes), tuple(FILES), ()), Settings())
    resolved = Counter(
        (res.source.id, res.note.id if res.note else res.file) for res in analysis.resolutions if res.resolved
    )
    graph = analysis.graph
    to_notes_and_files = Counter(
        (source, target) for source, target in graph.edges() if graph.nodes[target]["kind"] in ("note", "file")
    )
    assert to_notes_and_files == resolved
    assert sum(resolved.values()) == sum(1 for res in analysis.resolutions if res.resolved)


LABEL = st.text(st.characters(blacklist_characters="[]|\n\r", blacklist_categories=("Cs", "Cc")), min_size=1).filter(
    str.strip
)


@PROFILE
@given(LABEL)
def test_md_text_shows_exactly_the_text(text: str) -> None:
    html = markdown.markdown(md_text(text), extensions=SITE_EXTENSIONS)
    assert page_text(html) == " ".join(text.split())


@PROFILE
@given(LABEL, st.sampled_from(["a", "a#Part", "missing", "a#Nope"]))
def test_a_rendered_link_shows_its_label(label: str, target: str) -> None:
    source, _ = parse_note("a.md", b"# A\n\n## Part\n")
    analysis = analyze_vault(Vault(Path("."), (source,), (), ()), Settings())
    page = Page("a.md", analysis.index, Settings())
    rendered = render_markdown(f"see [[{target}|{label}]] here", source, page)
    html = markdown.markdown(rendered, extensions=SITE_EXTENSIONS)
    assert page_text(html) == " ".join(f"see {label.strip()} here".split())


HEADING_PIECES = st.sampled_from(
    ["a", "word", "é", "1", "-", " ", "  ", "\t", "#", "##", " #", " ## ", "[x](y)", "[x](y(z))"]
)


@PROFILE
@given(st.lists(HEADING_PIECES, min_size=1, max_size=12).map("".join))
def test_heading_ids_match_python_markdown(text: str) -> None:
    """Closing `#`s, tabs and links in a heading give the id the site's toc gives it."""
    source = f"## {text}\n"
    html = markdown.markdown(source, extensions=["toc"])
    site_id = re.search(r'<h2 id="([^"]*)"', html)
    headings = find_headings(source, excluded_spans(source))
    assert [h.slug for h in headings] == ([site_id.group(1)] if site_id else [])


PAGE_TEXT = st.lists(
    st.one_of(
        MARKUP, st.sampled_from(["[[a]]", "![[a]]", "![[b#H]]", "[[b|x]]", "# H\n", "\n\n", "    ", "*[X]: y\n"])
    ),
    max_size=60,
).map("".join)


@PROFILE
@given(PAGE_TEXT, PAGE_TEXT)
def test_any_page_renders_through_markdown_and_the_sanitizer(text_a: str, text_b: str) -> None:
    a, _ = parse_note("a.md", text_a.encode())
    b, _ = parse_note("b.md", text_b.encode())
    analysis = analyze_vault(Vault(Path("."), (a, b), (), ()), Settings())
    for note in (a, b):
        rendered = render_markdown(note.body, note, Page(note.path, analysis.index, Settings()))
        sanitize(markdown.markdown(rendered, extensions=SITE_EXTENSIONS))
