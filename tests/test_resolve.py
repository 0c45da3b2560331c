"""Resolution, as Obsidian resolves links, and the diagnostics it produces."""

from __future__ import annotations

import unicodedata

import pytest
from kb.analysis import analyze
from kb.resolve import Index, resolve_link
from kb.wikilinks import scan

from tests.conftest import MakeVault

EMPTY_HINT = "write a note name between the brackets, or escape them as \\[\\["
VAULT = {
    "index.md": "# Home\n",
    "code-sets/cpt.md": (
        "---\ntitle: CPT\naliases: [CPT code, Current Procedural Terminology]\n---\n"
        "# CPT\n\n## Categories\n\n### Category II\n\nTracking codes. ^cat2\n\n## Category III\n"
    ),
    "code-sets/hcpcs-level-ii.md": "---\ntitle: HCPCS Level II\n---\n# HCPCS Level II\n",
    "code-sets/Mixed Case.md": "# Mixed\n",
    "claims/dup.md": "# dup in claims\n",
    "coverage/dup.md": "# dup in coverage\n",
    "coverage/deep/dup.md": "# deeper dup\n",
    "coverage/Dup2.md": "# Dup2\n",
    "other/dup2.md": "# dup2\n",
    "Café.md": "# Café\n",
    "assets/chart.png": b"\x89PNG\r\n",
    "assets/form.pdf": b"%PDF-1.4",
}


def resolve(make_vault: MakeVault, source: str, link_text: str):
    analysis = analyze(make_vault(VAULT))
    index: Index = analysis.index
    (link,) = scan(link_text)
    return resolve_link(index, index.by_path[source], link)


@pytest.mark.parametrize(
    ("source", "link", "note", "fragment"),
    [
        ("index.md", "[[cpt]]", "code-sets/cpt.md", ""),
        ("index.md", "[[cpt.md]]", "code-sets/cpt.md", ""),
        ("index.md", "[[code-sets/cpt]]", "code-sets/cpt.md", ""),
        ("index.md", "[[/code-sets/cpt]]", "code-sets/cpt.md", ""),
        ("index.md", "[[mixed case]]", "code-sets/Mixed Case.md", ""),
        ("index.md", "[[cpt#Category II]]", "code-sets/cpt.md", "category-ii"),
        ("index.md", "[[cpt#category ii]]", "code-sets/cpt.md", "category-ii"),
        ("index.md", "[[cpt#Categories#Category II]]", "code-sets/cpt.md", "category-ii"),
        ("index.md", "[[cpt#^cat2]]", "code-sets/cpt.md", "^cat2"),
        ("code-sets/cpt.md", "[[#Category III]]", "code-sets/cpt.md", "category-iii"),
        ("code-sets/cpt.md", "[[./hcpcs-level-ii]]", "code-sets/hcpcs-level-ii.md", ""),
        ("claims/dup.md", "[[../code-sets/cpt]]", "code-sets/cpt.md", ""),
        # several notes share a name: the linking note's folder first, then the shortest path
        ("claims/dup.md", "[[dup]]", "claims/dup.md", ""),
        ("coverage/Dup2.md", "[[dup]]", "coverage/dup.md", ""),
        ("index.md", "[[dup]]", "claims/dup.md", ""),
        ("index.md", "[[deep/dup]]", "coverage/deep/dup.md", ""),
        # exact case wins over folder and path length
        ("index.md", "[[Dup2]]", "coverage/Dup2.md", ""),
        ("index.md", "[[dup2]]", "other/dup2.md", ""),
        # Unicode normalisation: NFD in the link, NFC on disk
        ("index.md", "[[" + unicodedata.normalize("NFD", "Café") + "]]", "Café.md", ""),
    ],
)
def test_links_resolve_to_notes(make_vault: MakeVault, source: str, link: str, note: str, fragment: str) -> None:
    res = resolve(make_vault, source, link)
    assert res.note is not None and res.note.path == note
    assert res.fragment == fragment
    assert not [p for p in res.problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("link", "file"),
    [
        ("![[chart.png]]", "assets/chart.png"),
        ("[[form.pdf]]", "assets/form.pdf"),
        ("![[assets/chart.png|200]]", "assets/chart.png"),
        ("![[CHART.PNG]]", "assets/chart.png"),
    ],
)
def test_links_resolve_to_files(make_vault: MakeVault, link: str, file: str) -> None:
    res = resolve(make_vault, "index.md", link)
    assert res.file == file and not res.problems


@pytest.mark.parametrize(
    ("source", "link", "expected"),
    [
        (
            "index.md",
            "[[hcpcs-level-2]]",
            "broken-link: no note named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?",
        ),
        (
            "index.md",
            "![[hcpcs-level-2]]",
            "broken-embed: no embedded note or file named 'hcpcs-level-2'; did you mean [[hcpcs-level-ii]]?",
        ),
        (
            "index.md",
            "[[CPT code]]",
            "alias-link: 'CPT code' is an alias of 'CPT', not a note name; write [[cpt|CPT code]]",
        ),
        (
            "index.md",
            "[[Current Procedural Terminology|codes]]",
            "alias-link: 'Current Procedural Terminology' is an alias of 'CPT', not a note name; write [[cpt|codes]]",
        ),
        (
            "index.md",
            "[[cpt#Categry II]]",
            "missing-anchor: no heading 'Categry II' in 'cpt'; did you mean [[cpt#Category II]]?",
        ),
        (
            "index.md",
            "[[hcpcs-level-ii#Anything]]",
            "missing-anchor: no heading 'Anything' in 'hcpcs-level-ii'; headings there: HCPCS Level II",
        ),
        ("index.md", "[[cpt#^nope]]", "missing-anchor: no block '^nope' in 'cpt'; block ids there: ^cat2"),
        (
            "code-sets/cpt.md",
            "[[#Nowhere]]",
            "missing-anchor: no heading 'Nowhere' in this note; "
            "headings there: CPT, Categories, Category II, Category III",
        ),
        (
            "index.md",
            "[[../../etc/passwd]]",
            "broken-link: link points outside the notes folder: '../../etc/passwd'; "
            "link to a note by its name, e.g. [[cpt]]",
        ),
        ("index.md", "[[/etc/passwd]]", "broken-link: no note named '/etc/passwd'"),
        (
            "index.md",
            "[[]]",
            "empty-link: empty link '[[]]'; write a note name between the brackets, or escape them as \\[\\[",
        ),
        (
            "index.md",
            "[[|]]",
            "empty-link: empty link '[[|]]'; write a note name between the brackets, or escape them as \\[\\[",
        ),
        (
            "index.md",
            "[[#]]",
            "empty-link: empty link '[[#]]'; write a note name between the brackets, or escape them as \\[\\[",
        ),
        (
            "index.md",
            "[[CPT]]",
            "case-mismatch: 'CPT' matches 'code-sets/cpt.md' only when case is ignored; write [[cpt]]",
        ),
        (
            "index.md",
            "[[deep/DUP]]",
            "case-mismatch: 'deep/DUP' matches 'coverage/deep/dup.md' only when case is ignored; write [[deep/dup]]",
        ),
        (
            "index.md",
            "[[dup]]",
            "ambiguous-link: 'dup' matches 3 notes; linked to claims/dup.md "
            "(also coverage/deep/dup.md, coverage/dup.md); write the folder to choose one, e.g. [[claims/dup]]",
        ),
    ],
)
def test_problem_messages(make_vault: MakeVault, source: str, link: str, expected: str) -> None:
    res = resolve(make_vault, source, link)
    assert [f"{p.code}: {p.text}" for p in res.problems] == [expected]
    (problem,) = res.problems
    assert (problem.line, problem.col) == (1, link.index("[[") + 1)
    assert problem.target == scan(link).__next__().raw


def test_errors_and_warnings_have_their_default_severity(make_vault: MakeVault) -> None:
    assert resolve(make_vault, "index.md", "[[nope]]").problems[0].severity == "error"
    assert resolve(make_vault, "index.md", "[[CPT]]").problems[0].severity == "warning"
    assert resolve(make_vault, "index.md", "[[dup]]").problems[0].severity == "warning"
