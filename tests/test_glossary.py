"""The generated glossary: A–Z order, letter index, tag groups, the split past a threshold, escaping."""

from __future__ import annotations

import re

import pytest
from kb.glossary import glossary_pages, initial
from kb.settings import Settings

from tests.site_helpers import analysis_of, note, page_text, writer_for

NOTES = [
    note("coverage/abn.md", "ABN", description="Notice.", aliases=["Advance Beneficiary Notice"], tags=["coverage"]),
    note("claims/cms-1500.md", "CMS-1500 claim form", description="The form.", codes=["1500"], tags=["claims"]),
    note("code-sets/cpt.md", "CPT", aliases=["HCPCS Level I"], codes=["99213"], tags=["code-sets", "claims"]),
    note("claims/x12-835.md", "835 remittance", tags=["claims"]),
    note("misc/eclair.md", "Éclair rule"),
    note("misc/quote.md", '"Quoted" first'),
]


def pages(notes=NOTES, **options: object) -> dict[str, str]:
    """Each glossary page's Markdown and HTML, by path."""
    settings = Settings(**options)  # type: ignore[arg-type]
    analysis = analysis_of(notes, settings)
    return {path: page_text(page) for path, page in glossary_pages(notes, settings, writer_for(analysis)).items()}


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
    assert text.startswith("---\nsearch:\n  exclude: true\n---\n# Glossary\n")  # the notes are the search results
    sections = re.findall(r'^<h2 id="([\w-]+)">(.+?)</h2>$', text, re.MULTILINE)
    assert sections == [("a", "A"), ("c", "C"), ("e", "E"), ("q", "Q"), ("0-9", "0–9"), ("by-tag", "By tag")]
    order = [text.index(f'href="../{path}/"') for path in ("coverage/abn", "claims/cms-1500", "code-sets/cpt")]
    assert order == sorted(order)
    abn = next(line for line in text.splitlines() if 'href="../coverage/abn/"' in line)
    assert abn == '<li><a class="kb-term" href="../coverage/abn/">ABN</a> — Notice.<br>'
    assert "Also known as</span> Advance Beneficiary Notice</li>" in text
    assert "Codes</span> <code>99213</code>" in text


def test_letter_index_links_present_letters_and_greys_the_rest() -> None:
    text = pages()["glossary.md"]
    index = next(line for line in text.splitlines() if line.startswith('<p class="kb-letters">'))
    assert '<a href="#c">C</a>' in index and '<a href="#0-9">0–9</a>' in index
    assert '<span class="kb-letter-empty">B</span>' in index
    assert 'href="#b"' not in index


def test_tag_groups_list_each_tagged_note() -> None:
    text = pages()["glossary.md"]
    by_tag = text[text.index('<h2 id="by-tag">') :]
    groups = dict(re.findall(r'^<h3 id="(tag-[\w-]+)">(.+?)</h3>$', by_tag, re.MULTILINE))
    assert groups == {"tag-claims": "claims", "tag-code-sets": "code-sets", "tag-coverage": "coverage"}
    claims = by_tag[by_tag.index('"tag-claims"') : by_tag.index('"tag-code-sets"')]
    assert claims.count("<li>") == 3  # cms-1500, cpt (second tag), 835


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
    index = split["glossary/index.md"]
    assert '<a href="a/">A</a>' in index and '<li><a href="tag-claims/">claims</a> (3)</li>' in index
    letter = split["glossary/c.md"]
    assert letter.startswith("---\nsearch:\n  exclude: true\n---\n# Glossary: C\n")
    assert '<a class="kb-term" href="../../code-sets/cpt/">CPT</a>' in letter
    assert "<strong>C</strong>" in letter and '<a href="../a/">A</a>' in letter
    assert "coverage/abn" not in letter
    assert split["glossary/tag-claims.md"].startswith("---\nsearch:\n  exclude: true\n---\n# Glossary: claims\n")
    assert '<p><a href="../">All letters</a></p>' in split["glossary/tag-claims.md"]


def test_split_pages_do_not_grow_with_notes_of_other_letters() -> None:
    base = pages(glossary_split_at=1)["glossary/c.md"]
    more = NOTES + [note(f"bulk/z{n}.md", f"Zeta {n}") for n in range(200)]
    assert pages(more, glossary_split_at=1)["glossary/c.md"] == base.replace(
        '<span class="kb-letter-empty">Z</span>', '<a href="../z/">Z</a>'
    )


def test_user_text_is_escaped() -> None:
    evil = note(
        "x/evil.md",
        "<script>alert(1)</script> *x*",
        description='A & "B" [l](u)',
        aliases=["<b>a</b>"],
        codes=["`c`"],
        tags=["<i>t</i>"],
    )
    text = pages([evil])["glossary.md"]
    for raw in ("<script>", "<b>", "<i>"):
        assert raw not in text
    assert '<a class="kb-term" href="../x/evil/">&lt;script&gt;alert(1)&lt;/script&gt; *x*</a>' in text
    assert ' — A &amp; "B" [l](u)<br>' in text and "&lt;b&gt;a&lt;/b&gt;" in text and "<code>`c`</code>" in text
    assert '<h3 id="tag-iti">&lt;i&gt;t&lt;/i&gt;</h3>' in text
    split = pages([evil, note("a.md", "A")], glossary_split_at=1)
    assert split["glossary/tag-iti.md"].startswith("---\nsearch:\n  exclude: true\n---\n# Glossary: &#60;i&#62;t")
