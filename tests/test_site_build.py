"""The site features end to end: a small vault built with the project's mkdocs.yml, asserting on the HTML."""

from __future__ import annotations

import html
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.site_helpers import build_site, write_vault

pytestmark = pytest.mark.slow

PAYLOAD = "<script>alert('x')</script>"
VAULT = {
    "claims/cms-1500.md": (
        "---\ntitle: CMS-1500 claim form\ndescription: The professional claim form.\n"
        "aliases: [CMS-1500, HCFA-1500]\ncodes: ['1500']\ntags: [claims, forms]\n"
        "abbr:\n  CMS: Centers for Medicare & Medicaid Services\n  NPI: National Provider Identifier\n---\n"
        "# CMS-1500 claim form\n\nCMS publishes it; an [[abn]] may apply. Broken: [[no-such-note]].\n"
    ),
    "claims/ub-04.md": "---\ntitle: UB-04\ntags: [claims]\n---\n# UB-04\n\nThe institutional form, not [[cms-1500]].\n",
    "coverage/abn.md": (
        "---\ntitle: ABN\ndescription: Advance notice.\naliases: [Advance Beneficiary Notice]\n"
        "tags: [coverage]\nabbr:\n  ABN: Advance Beneficiary Notice of Non-coverage\n"
        "  QHP: Qualified Health Plan\n---\n"
        "# ABN\n\nAn ABN is given by a QHP issuer? No: see [[cms-1500]].\n"
    ),
    "coverage/em.md": (
        "---\ntitle: E/M\nabbr:\n  QHP: Qualified health care professional\n---\n# E/M\n\nA QHP bills E/M; CMS pays.\n"
    ),
    "odd/evil.md": (
        f'---\ntitle: "{PAYLOAD} \'q\' & *x*"\ndescription: "<img src=x onerror=alert(1)> & [l](u)"\n'
        f'aliases: ["{PAYLOAD}", "A & B"]\ncodes: ["<b>1</b>"]\ntags: ["<i>t</i>", "a&b"]\n'
        f'abbr:\n  XSS: "{PAYLOAD} & \\"quoted\\""\n---\n'
        "# Evil\n\nXSS is here, and [[cms-1500]].\n"
    ),
}


def html_of(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text(html: str) -> str:
    """The visible text of an HTML fragment, entities decoded, whitespace collapsed."""
    parser = Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).replace("¶", "").split())


def primary_nav(html: str) -> str:
    start = html.index("md-nav--primary")
    return html[start : html.index("md-sidebar--secondary", start)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[logging.LogRecord]]:
    root = tmp_path_factory.mktemp("vault")
    handler, logger = Records(), logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        site = build_site(write_vault(root / "notes", VAULT), root / "site", repo_url="https://github.com/example/kb")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return site, handler.records


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_only_the_broken_link_is_a_warning_and_the_conflict_is_reported(built) -> None:
    _, records = built
    # The fixture's frontmatter is odd on purpose (escaping); test_checks.py covers the content checks.
    content = tuple(f"[{code}]" for code in ("frontmatter-schema", "code-format", "source-missing", "stale-note"))
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    warnings = [w for w in warnings if not any(code in w for code in content)]
    assert len(warnings) == 1 and "error[broken-link]" in warnings[0], warnings
    infos = [r.getMessage() for r in records if "abbr-conflict" in r.getMessage()]
    assert len(infos) == 1 and "coverage/em.md:4:3: warning[abbr-conflict]" in infos[0]


def test_glossary_page_lists_notes_a_to_z_with_letter_index_and_tags(built) -> None:
    site, _ = built
    page = article(html_of(site, "glossary"))
    assert '<p class="kb-letters"><a href="#a">A</a> <span class="kb-letter-empty">B</span> <a href="#c">C</a>' in page
    assert re.findall(r'<h2 id="([\w-]+)">', page) == ["a", "c", "e", "s", "u", "by-tag"]
    assert '<a class="kb-term" href="../coverage/abn/">' in page
    assert "CMS-1500 claim form — The professional claim form. Also known as CMS-1500, HCFA-1500 Codes 1500" in text(
        page
    )
    assert re.findall(r'<h3 id="(tag-[\w-]+)">', page) == [
        "tag-iti", "tag-ab", "tag-claims", "tag-coverage", "tag-forms"
    ]  # fmt: skip
    assert "claims CMS-1500 claim form UB-04 coverage ABN" in text(page)


def test_folder_index_pages_and_home_are_generated(built) -> None:
    site, _ = built
    claims = article(html_of(site, "claims"))
    assert '<a href="cms-1500/">' in claims and '<a href="ub-04/">' in claims
    assert "Notes CMS-1500 claim form — The professional claim form. UB-04" in text(claims)
    home = article((site / "index.html").read_text(encoding="utf-8"))
    assert '<a href="claims/">Claims</a> (2 notes)' in home and '<a href="glossary/">Glossary</a>' in home


def test_tags_index_page_lists_tags(built) -> None:
    site, _ = built
    tags = article(html_of(site, "tags"))
    assert re.findall(r'<h2 id="tag:(\w+)">', tags) == ["ltigttltigt", "aampb", "claims", "coverage", "forms"]
    assert "claims CMS-1500 claim form UB-04 coverage ABN" in text(tags)
    assert '<a href="../../tags/#tag:claims" class="md-tag">claims</a>' in html_of(site, "claims/cms-1500")


def tooltips(page: str) -> dict[str, str]:
    """{acronym: the text its tooltip shows}. Material inserts a title as HTML, so kb escapes it twice."""
    return {
        text: html.unescape(html.unescape(title))
        for title, text in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', page)
    }


def test_note_shows_aliases_codes_and_only_its_acronyms(built) -> None:
    site, _ = built
    page = article(html_of(site, "claims/cms-1500"))
    facts = re.search(r'<p class="kb-facts">(.*?)</p>', page, re.DOTALL)
    assert facts and text(facts.group(1)) == "Also known as CMS-1500, HCFA-1500 Codes 1500"
    assert page.index("kb-facts") < page.index("publishes it")  # right under the title
    assert tooltips(page)["CMS"] == "Centers for Medicare & Medicaid Services"
    assert "NPI" not in page  # defined by the note but not used on it: no definition, no tooltip


def test_acronyms_show_on_every_page_using_them_and_a_note_keeps_its_own_meaning(built) -> None:
    site, _ = built
    em = article(html_of(site, "coverage/em"))
    assert tooltips(em)["QHP"] == "Qualified health care professional"
    assert tooltips(em)["CMS"] == "Centers for Medicare & Medicaid Services"
    assert tooltips(article(html_of(site, "coverage/abn")))["QHP"] == "Qualified Health Plan"


def test_broken_links_are_styled_by_the_shipped_stylesheet(built) -> None:
    site, _ = built
    page = html_of(site, "claims/cms-1500")
    (title,) = re.findall(r'<span class="kb-broken" title="([^"]*)">\[\[no-such-note\]\]</span>', page)
    assert html.unescape(title) == "no note named 'no-such-note'"
    assert '<link rel="stylesheet" href="../../assets/kb/site.css">' in page
    assert ".md-typeset .kb-broken" in (site / "assets/kb/site.css").read_text(encoding="utf-8")


def test_navigation_lists_folders_not_notes_and_shows_where_the_note_is(built) -> None:
    site, _ = built
    html = html_of(site, "claims/cms-1500")
    nav = primary_nav(html)
    assert 'href="../"' in nav and 'href="../../coverage/"' in nav and 'href="../../glossary/"' in nav
    assert "ub-04" not in nav and "abn" not in nav
    path = html[html.index('<nav class="md-path"') : html.index("</nav>", html.index('<nav class="md-path"'))]
    assert re.findall(r'class="md-path__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', path) == [
        "Home",
        "Claims",
    ]


def test_edit_link_with_a_repository_and_no_request_to_its_host(built) -> None:
    site, _ = built
    html = html_of(site, "claims/cms-1500")
    assert 'href="https://github.com/example/kb/edit/main/notes/claims/cms-1500.md"' in html
    assert 'class="md-source"' in html and 'data-md-component="source"' not in html
    assert "/edit/" not in html_of(site, "glossary")  # a generated page has no source to edit


def test_no_edit_link_without_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_REPO_URL", raising=False)
    site = build_site(write_vault(tmp_path / "notes", {"a/b.md": "# B\n"}), tmp_path / "site")
    html = html_of(site, "a/b")
    assert 'rel="edit"' not in html and "md-source" not in html


def test_search_index_has_note_names_and_leaves_out_generated_pages_and_backlinks(built) -> None:
    site, _ = built
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert docs["claims/cms-1500/"]["aliases"] == "CMS_1500_claim_form_ cms_1500_ CMS_1500_ HCFA_1500_ 1500_"
    assert index["config"]["fields"]["aliases"] == {"boost": 1e4}
    assert not {"", "glossary/", "tags/", "claims/"} & set(docs)
    assert "claims/cms-1500/#linked-from" not in docs


def test_user_text_is_escaped_in_every_output(built) -> None:
    site, _ = built
    outputs = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml")]
    for path in outputs:
        content = path.read_text(encoding="utf-8")
        for raw in (PAYLOAD, "<img src=x", "<b>1</b>", "<i>t</i>"):
            assert raw not in content, f"{raw!r} unescaped in {path.relative_to(site)}"
    evil = html_of(site, "odd/evil")
    assert (
        "<title>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &#x27;q&#x27; &amp; *x* - billing-kb</title>" in evil
    )
    assert tooltips(evil)["XSS"] == "<script>alert('x')</script> & \"quoted\""
    assert '<a href="../../tags/#tag:ltigttltigt" class="md-tag">&lt;i&gt;t&lt;/i&gt;</a>' in evil
    shown = f"{PAYLOAD} 'q' & *x* — <img src=x onerror=alert(1)> & [l](u) Also known as {PAYLOAD}, A & B Codes <b>1</b>"
    assert shown in text(article(html_of(site, "glossary")))


def test_a_note_named_like_a_generated_page_is_kept_and_reported(tmp_path: Path, caplog) -> None:
    notes = write_vault(
        tmp_path / "notes",
        {"glossary.md": "# My glossary\n\nHand-made.\n", "claims.md": "# Claims note\n", "claims/a.md": "# A\n"},
    )
    with caplog.at_level(logging.WARNING):
        site = build_site(notes, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if "reserved-name" in r.getMessage()]
    assert len(errors) == 2 and any("notes/glossary.md:1:1: error[reserved-name]" in e for e in errors), errors
    assert "Hand-made." in html_of(site, "glossary")
    assert "Claims note" in html_of(site, "claims")
    assert (notes / "glossary.md").read_text(encoding="utf-8") == "# My glossary\n\nHand-made.\n"


def test_a_note_page_does_not_grow_when_500_unrelated_notes_are_added(tmp_path: Path) -> None:
    files = {
        "claims/a.md": "---\ntitle: A\ntags: [claims]\n---\n# A\n\nSee [[b]].\n",
        "claims/b.md": "---\ntitle: B\n---\n# B\n\nBack to [[a]].\n",
        "claims/c.md": "# C\n",
        "coverage/x.md": "# X\n",
    }
    site = build_site(write_vault(tmp_path / "notes", files), tmp_path / "site")
    before = (site / "claims/b/index.html").read_bytes()
    bulk = {
        f"coverage/n{n:03}.md": f"---\ntitle: Note {n}\ntags: [coverage]\n---\n# Note {n}\n\n[[x]]\n"
        for n in range(500)
    }
    site = build_site(write_vault(tmp_path / "notes", bulk), tmp_path / "site")
    after = (site / "claims/b/index.html").read_bytes()
    assert len(after) == len(before)
    # Only the local graph's tag colours may differ: they are ranked by tag size across the whole vault.
    assert re.sub(rb'fill="#[0-9a-f]{6}"', b"", after) == re.sub(rb'fill="#[0-9a-f]{6}"', b"", before)
    assert "Note 499" in (site / "coverage/index.html").read_text(encoding="utf-8")  # reachable from its folder


def test_backlinks_have_their_own_id_and_a_place_in_the_table_of_contents(tmp_path: Path) -> None:
    notes = {
        "a.md": "# A\n\n## Linked from\n\nA heading of the note's own, named like kb's section.\n\n## Usage\n\nText.\n",
        "b.md": "# B\n\nB & 1 < 2 lead to [[a]] (ABN).\n",
        "c.md": "---\nabbr:\n  ABN: Advance Beneficiary Notice\n---\n# C\n\n[[a]]\n",
    }
    site = build_site(write_vault(tmp_path / "notes", notes), tmp_path / "site")
    page = article(html_of(site, "a"))
    assert 'id="linked-from"' in page and 'id="linked-from_1"' in page  # as toc makes ids unique
    section = page[page.index('<section class="kb-backlinks">') :]
    assert '<a class="headerlink" href="#linked-from_1" title="Permanent link">¶</a>' in section
    assert (
        '<li><a href="../b/">B</a>: B &amp; 1 &lt; 2 lead to A '
        '(<abbr title="Advance Beneficiary Notice">ABN</abbr>).</li>' in section
    )
    assert '<li><a href="../c/">C</a></li>' in section  # a line with only the link adds nothing
    toc = html_of(site, "a")
    toc = toc[toc.index('<nav class="md-nav md-nav--secondary"') :]
    entries = re.findall(r'href="#([^"]+)"', toc[: toc.index("</nav>")])
    assert entries == ["linked-from", "usage", "linked-from_1"]
