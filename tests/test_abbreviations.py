"""Acronyms from `abbr:` frontmatter: the site table, per-page definitions, one regex, conflicts."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kb.abbreviations import collect_abbreviations, same_meaning, trie_pattern
from kb.cli import main
from kb.notes import parse_note
from kb.render import md_text
from kb.sanitize import sanitize

from tests.site_helpers import note, write_vault

PLAN = note("coverage/prior-authorization.md", "Prior authorization", abbr={"QHP": "Qualified Health Plan"})
PRO = note(
    "e-m/evaluation-and-management.md",
    "E/M",
    abbr={"ABN": "Advance Beneficiary Notice", "QHP": "Qualified health care professional"},
)


def test_first_definition_wins_and_a_different_meaning_is_an_abbr_conflict() -> None:
    table, problems = collect_abbreviations([PLAN, PRO])
    assert table.expansions == {"QHP": "Qualified Health Plan", "ABN": "Advance Beneficiary Notice"}
    [problem] = problems
    assert (problem.path, problem.line, problem.col, problem.code, problem.severity) == (
        "e-m/evaluation-and-management.md",
        5,  # ---, title, abbr:, ABN, QHP
        3,
        "abbr-conflict",
        "warning",
    )
    assert "'Qualified health care professional'" in problem.message
    assert "'Qualified Health Plan' in coverage/prior-authorization.md" in problem.message


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Qualified Health Plan", "Qualified health care professional", False),
        (
            "Durable Medical Equipment, Prosthetics, Orthotics, and Supplies",
            "durable medical equipment prosthetics orthotics and supplies",
            True,
        ),
        ("Office of Inspector General", "Office of Inspector General (HHS)", True),
        ("Medicare Administrative Contractor", "Medicaid Agency Contract", False),
    ],
)
def test_same_meaning_ignores_case_punctuation_and_a_trailing_qualifier(first: str, second: str, same: bool) -> None:
    assert same_meaning(first, second) is same
    assert same_meaning(second, first) is same


def test_definitions_name_only_the_acronyms_used_on_the_page() -> None:
    table, _ = collect_abbreviations([PLAN, PRO])
    assert table.definitions("An ABN is a notice.") == "\n\n*[ABN]: Advance Beneficiary Notice\n"
    assert table.definitions("No acronym here; ABNs and xQHP are other words.") == ""
    both = table.definitions("QHP and ABN")
    assert both == "\n\n*[ABN]: Advance Beneficiary Notice\n*[QHP]: Qualified Health Plan\n"


def test_a_note_keeps_its_own_expansion_on_its_own_page() -> None:
    table, _ = collect_abbreviations([PLAN, PRO])
    assert table.definitions("QHP", PRO.abbr) == "\n\n*[QHP]: Qualified health care professional\n"


def test_the_longest_acronym_wins_and_word_boundaries_hold() -> None:
    table, _ = collect_abbreviations(
        [note("a.md", "A", abbr={"CMS": "Centers", "CMS-1500": "Claim form", "E/M": "Evaluation and management"})]
    )
    assert table.pattern is not None
    assert table.pattern.findall("CMS-1500, CMS and E/M; not CMSX or XE/M") == ["CMS-1500", "CMS", "E/M"]


@given(
    st.lists(st.text(alphabet="AB-/1", min_size=1, max_size=4), min_size=1, max_size=8), st.text("AB-/1 ", max_size=30)
)
def test_trie_pattern_matches_like_a_longest_first_alternation(words: list[str], text: str) -> None:
    naive = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    assert re.compile(trie_pattern(words)).findall(text) == naive.findall(text)


def test_markup_in_an_expansion_stays_one_line_of_text() -> None:
    evil = parse_note("a.md", b'---\nabbr:\n  XSS: "<script>\\n alert(1)</script> & \\"q\\""\n---\n')[0]
    table, _ = collect_abbreviations([evil])
    # Python-Markdown puts the expansion in a title attribute, escaped; the build test checks the HTML.
    assert table.definitions("XSS") == '\n\n*[XSS]: <script> alert(1)</script> & "q"\n'


def test_kb_check_reports_the_conflict(tmp_path, capsys) -> None:
    root = write_vault(
        tmp_path / "notes",
        {
            "a.md": "---\ntitle: A\nabbr:\n  QHP: Qualified Health Plan\n---\n# A\n",
            "b.md": "---\ntitle: B\nabbr: {QHP: Qualified health care professional}\n---\n# B\n",
        },
    )
    assert main(["check", str(root), "--strict"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"b\.md:3:8: warning\[abbr-conflict\]: abbreviation 'QHP' is expanded as", out), out


PIECES = ["QHP", "ABN", "ABNs", "xQHP", " ", "&", "<", ">", "'", '"', "E/M", "é", "-"]


@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_markup_writes_what_python_markdown_writes(pieces: list[str]) -> None:
    """Backlinks are written as HTML directly: they must read as the abbr extension renders the same text."""
    text = "".join(pieces).strip()  # as backlink titles and contexts are
    table, _ = collect_abbreviations([PLAN, PRO])
    for own in (None, PRO.abbr):
        rendered = markdown.markdown(md_text(text) + table.definitions(text, own), extensions=["abbr"])
        assert sanitize(f"<p>{table.markup(text, own)}</p>") == sanitize(rendered or "<p></p>")
