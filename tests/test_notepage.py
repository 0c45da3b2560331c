"""'Also known as' and 'Codes' under a note's title."""

from __future__ import annotations

import pytest
from kb.notepage import insert_after_title, note_facts

from tests.site_helpers import note


def test_facts_list_aliases_and_codes_escaped() -> None:
    facts = note_facts(note("a.md", "A", aliases=["E/M", "<b>x</b>"], codes=["99213", "`25`"]))
    assert facts == (
        '<span class="kb-label">Also known as</span> E&#47;M, &#60;b&#62;x&#60;&#47;b&#62;<br>\n'
        '<span class="kb-label">Codes</span> <code>99213</code> <code>&#96;25&#96;</code>\n{ .kb-facts }'
    )
    assert note_facts(note("b.md", "B")) == ""


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Title\nText.\n", "# Title\n\nFACTS\n\nText.\n"),
        ("Intro.\n\n# Title\n\nText.", "Intro.\n\n# Title\n\nFACTS\n\nText."),
        ("Title\n=====\nText.", "Title\n=====\n\nFACTS\n\nText."),
        ("# Title", "# Title\n\nFACTS\n\n"),
        ("```\n# not a title\n```\n## Part\n", "FACTS\n\n```\n# not a title\n```\n## Part\n"),
        ("# Title\n---\nText.", "# Title\n\nFACTS\n\n---\nText."),
    ],
)
def test_facts_go_right_after_the_first_level_one_heading(markdown: str, expected: str) -> None:
    assert insert_after_title(markdown, "FACTS") == expected


def test_nothing_to_insert_leaves_the_page_alone() -> None:
    assert insert_after_title("# T\n", "") == "# T\n"
