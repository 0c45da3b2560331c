"""The generated glossary: A–Z order, letter index, tag groups, the split past a threshold, escaping."""

from __future__ import annotations

import re

import pytest
from kb.glossary import glossary_pages, initial
from kb.settings import Settings

from tests.site_helpers import analysis_of, note

NOTES = [
    note("coverage/abn.md", "ABN", description="Notice.", aliases=["Advance Beneficiary Notice"], tags=["coverage"]),
    note("claims/cms-1500.md", "CMS-1500 claim form", description="The form.", codes=["1500"], tags=["claims"]),
    note("code-sets/cpt.md", "CPT", aliases=["HCPCS Level I"], codes=["99213"], tags=["code-sets", "claims"]),
    note("claims/x12-835.md", "835 remittance", tags=["claims"]),
    note("misc/eclair.md", "Éclair rule"),
    note("misc/quote.md", '"Quoted" first'),
]


def pages(notes=NOTES, **options: object) -> dict[str, str]:
    settings = Settings(**options)  # type: ignore[arg-type]
    return glossary_pages(notes, analysis_of(notes, settings).index, settings)


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("ABN", "a"),
        ("abn", "a"),
        ("Éclair", "e"),
        ('"Quoted"', "q"),
        ("835 ERA", "0-9"),
        ("Ωmega", "other"),
        ("", "other"),
    ],
)
def test_initial(title: str, group: str) -> None:
    assert initial(title) == group


def test_single_page_lists_every_note_a_to_z_with_aliases_codes_and_description() -> None:
    [(path, text)] = pages().items()
    assert path == "glossary.md"
    sections = re.findall(r"^## (.+?) \{ #([\w-]+) \}$", text, re.MULTILINE)
    assert sections == [("A", "a"), ("C", "c"), ("E", "e"), ("Q", "q"), ("0–9", "0-9"), ("By tag", "by-tag")]
    order = [text.index(f"]({path})") for path in ("coverage/abn.md", "claims/cms-1500.md", "code-sets/cpt.md")]
    assert order == sorted(order)
    abn = next(line for line in text.splitlines() if "](coverage/abn.md)" in line)
    assert abn.startswith("- [ABN](coverage/abn.md){ .kb-term } — Notice&#46;")
    assert "Also known as</span> Advance Beneficiary Notice" in text
    assert "Codes</span> <code>99213</code>" in text
    assert "search:\n  exclude: true" in text  # the notes, not the glossary, are search results


def test_letter_index_links_present_letters_and_greys_the_rest() -> None:
    text = pages()["glossary.md"]
    index = next(line for line in text.splitlines() if line.startswith("[A](#a)"))
    assert "[C](#c)" in index and "[0–9](#0-9)" in index
    assert '<span class="kb-letter-empty">B</span>' in index
    assert "[B]" not in index


def test_tag_groups_list_each_tagged_note() -> None:
    text = pages()["glossary.md"]
    by_tag = text[text.index("## By tag") :]
    groups = dict(re.findall(r"^### (.+?) \{ #(tag-[\w-]+) \}$", by_tag, re.MULTILINE))
    assert groups == {"claims": "tag-claims", "code&#45;sets": "tag-code-sets", "coverage": "tag-coverage"}
    claims = by_tag[by_tag.index("### claims") : by_tag.index("### code")]
    assert claims.count("\n- [") == 3  # cms-1500, cpt (second tag), 835


def test_split_past_the_threshold_gives_one_page_per_letter_and_tag() -> None:
    assert list(pages(glossary_split_at=len(NOTES))) == ["glossary.md"]
    split = pages(glossary_split_at=len(NOTES) - 1)
    assert sorted(split) == [
        "glossary/0-9.md",
        "glossary/a.md",
        "glossary/c.md",
        "glossary/e.md",
        "glossary/index.md",
        "glossary/q.md",
        "glossary/tag-claims.md",
        "glossary/tag-code-sets.md",
        "glossary/tag-coverage.md",
    ]
    assert "[A](a.md)" in split["glossary/index.md"] and "[claims](tag-claims.md) (3)" in split["glossary/index.md"]
    assert "- [CPT](../code-sets/cpt.md)" in split["glossary/c.md"]
    assert "**C**" in split["glossary/c.md"] and "[A](a.md)" in split["glossary/c.md"]
    assert "](../coverage/abn.md)" not in split["glossary/c.md"]


def test_split_pages_do_not_grow_with_notes_of_other_letters() -> None:
    base = pages(glossary_split_at=1)["glossary/c.md"]
    more = NOTES + [note(f"bulk/z{n}.md", f"Zeta {n}") for n in range(200)]
    assert pages(more, glossary_split_at=1)["glossary/c.md"] == base.replace(
        '<span class="kb-letter-empty">Z</span>', "[Z](z.md)"
    )


def test_user_text_is_literal_markdown() -> None:
    evil = note(
        "x/evil.md",
        "<script>alert(1)</script> *x*",
        description='A & "B" [l](u)',
        aliases=["<b>a</b>"],
        codes=["`c`"],
        tags=["<i>t</i>"],
    )
    text = pages([evil])["glossary.md"]
    for raw in ("<script>", "*x*", '"B"', "[l](u)", "<b>", "`c`", "<i>"):
        assert raw not in text
    assert "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62; &#42;x&#42;" in text
