"""The scanner: every link form, and every place where `[[` is only text."""

from __future__ import annotations

import pytest
from kb.wikilinks import scan


def links(text: str) -> list[tuple[str, str | None, str | None, bool]]:
    return [(link.target, link.anchor, link.label, link.embed) for link in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[cpt]]", [("cpt", None, None, False)]),
        ("[[coding/cpt]]", [("coding/cpt", None, None, False)]),
        ("[[cpt.md]]", [("cpt.md", None, None, False)]),
        ("[[cpt|CPT codes]]", [("cpt", None, "CPT codes", False)]),
        ("| a | [[cpt\\|CPT codes]] |", [("cpt", None, "CPT codes", False)]),
        ("[[cpt#Category II]]", [("cpt", "Category II", None, False)]),
        ("[[cpt#Categories#Category II]]", [("cpt", "Categories#Category II", None, False)]),
        ("[[cpt#^block-id]]", [("cpt", "^block-id", None, False)]),
        ("[[#Heading]]", [("", "Heading", None, False)]),
        ("![[cpt]]", [("cpt", None, None, True)]),
        ("![[cpt#Section]]", [("cpt", "Section", None, True)]),
        ("![[chart.png]]", [("chart.png", None, None, True)]),
        ("![[chart.png|300]]", [("chart.png", None, "300", True)]),
        ("[[cpt#Section|label]]", [("cpt", "Section", "label", False)]),
        ("[[ spaced name ]]", [("spaced name", None, None, False)]),
        ("[[v1.2 notes (draft)]]", [("v1.2 notes (draft)", None, None, False)]),
        ("[[Café résumé]]", [("Café résumé", None, None, False)]),
        ("[[🩺 vitals]]", [("🩺 vitals", None, None, False)]),
        ("[[a|b|c]]", [("a", None, "b|c", False)]),
        ("[[a]] and [[b]]", [("a", None, None, False), ("b", None, None, False)]),
        ("[[[a]]]", [("a", None, None, False)]),
        ("[[]]", [("", None, None, False)]),
        ("[[#]]", [("", "", None, False)]),
    ],
)
def test_link_forms(text: str, expected: list[tuple[str, str | None, str | None, bool]]) -> None:
    assert links(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: '[[not]]'\n---\n",
        "```\n[[not]]\n```\n",
        "~~~md\n[[not]]\n~~~\n",
        "````\n```\n[[not]]\n````\n",
        "> ```\n> [[not]]\n> ```\n",
        "- item\n  ```\n  [[not]]\n  ```\n",
        "```\nnever closed\n[[not]]\n",
        "a `[[not]]` b",
        "a ``code with ` and [[not]]`` b",
        "%% [[not]] %%",
        "%%\n[[not]]\nmultiline\n%%",
        "<!-- [[not]] -->",
        "<!--\n[[not]]\n-->",
        "\\[[not]]",
        "\\[\\[not\\]\\]",
        "[[not\n]]",
        "[[unterminated",
    ],
)
def test_text_that_is_not_a_link(text: str) -> None:
    assert links(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`code` [[yes]]", [("yes", None, None, False)]),
        ("a `unclosed [[yes]]", [("yes", None, None, False)]),
        ("`a\n\nb` [[yes]]", [("yes", None, None, False)]),
        ("\\\\[[yes]]", [("yes", None, None, False)]),
        ("%% a %% [[yes]] %% b %%", [("yes", None, None, False)]),
        ("```\n[[no]]\n```\n[[yes]]", [("yes", None, None, False)]),
        ("---\ntitle: x\n---\n[[yes]]", [("yes", None, None, False)]),
        ("text\n---\n[[yes]]", [("yes", None, None, False)]),
    ],
)
def test_links_next_to_excluded_text(text: str, expected: list[tuple[str, str | None, str | None, bool]]) -> None:
    assert links(text) == expected


def test_line_and_column_point_at_the_brackets() -> None:
    text = "---\ntitle: x\n---\nfirst line\n  see [[a]] and ![[b]]\n| [[c\\|C]] |"
    found = [
        (link.line, link.col, text.splitlines()[link.line - 1][link.col - 1 : link.col + 1]) for link in scan(text)
    ]
    assert found == [(5, 7, "[["), (5, 18, "[["), (6, 3, "[[")]


def test_columns_count_characters_not_bytes() -> None:
    (link,) = scan("é 🩺 [[x]]")
    assert link.col == 5


def test_raw_is_the_link_as_written() -> None:
    (link,) = scan("![[cpt#Category II|the category]]")
    assert link.raw == "[[cpt#Category II|the category]]"
