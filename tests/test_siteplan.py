"""Generated pages: one index page per folder, names reserved for them, and what the navigation lists."""

from __future__ import annotations

import pytest
from kb.settings import Settings
from kb.sitepages import folder_title, generated_pages
from kb.siteplan import in_navigation, url_key

from tests.site_helpers import analysis_of, note, page_text, site_url

VAULT = [
    note("claims/cms-1500.md", "CMS-1500", description="The professional claim form."),
    note("claims/ub-04.md", "UB-04"),
    note("claims/x12/x12-837.md", "X12 837", description="Electronic claim."),
    note("coverage/index.md", "Coverage", body="# Coverage\n\nHand-written."),
    note("coverage/abn.md", "ABN"),
]


def pages(notes=VAULT, **options: object) -> dict[str, str]:
    """Each generated page's Markdown and HTML, by path."""
    settings = Settings(**options)  # type: ignore[arg-type]
    generated = generated_pages(
        analysis_of(notes, settings), settings, site_url, True, "billing-kb", "A knowledge base."
    )
    return {path: page_text(page) for path, page in generated.items()}


def test_every_folder_without_an_index_page_gets_one() -> None:
    generated = pages()
    assert sorted(generated) == ["claims/index.md", "claims/x12/index.md", "glossary.md", "index.md", "tags.md"]
    claims = generated["claims/index.md"]
    assert claims.startswith("---\nsearch:\n  exclude: true\n---\n# Claims\n")
    assert '<h2 id="topics">Topics</h2>\n<ul>\n<li><a href="x12/">X12</a> (1 note)</li>' in claims
    assert '<h2 id="notes">Notes</h2>' in claims
    assert (
        '<li><a href="cms-1500/">CMS-1500</a> — The professional claim form.</li>\n<li><a href="ub-04/">UB-04</a>'
        in claims
    )
    assert "x12-837" not in claims  # a subfolder's notes are on its own page


def test_the_home_page_lists_topics_and_the_generated_pages() -> None:
    home = pages()["index.md"]
    assert home.startswith('---\ntitle: "Home"\nsearch:\n  exclude: true\n---\n# billing&#45;kb\n')
    assert (
        '<p>A knowledge base.</p>\n<p>See also: <a href="glossary/">Glossary</a> · <a href="tags/">Tags</a></p>' in home
    )
    assert '<li><a href="claims/">Claims</a> (3 notes)</li>\n<li><a href="coverage/">Coverage</a> (1 note)</li>' in home


def test_a_split_glossary_is_linked_from_home() -> None:
    assert '<a href="glossary/">Glossary</a>' in pages(glossary_split_at=1)["index.md"]


def test_a_folder_index_page_does_not_grow_with_notes_elsewhere() -> None:
    more = VAULT + [note(f"coverage/n{n}.md", f"Note {n}") for n in range(300)]
    assert pages(more)["claims/index.md"] == pages()["claims/index.md"]


@pytest.mark.parametrize(
    ("path", "reported"),
    [
        ("glossary.md", "'glossary.md' has the name of the glossary page the site generates"),
        ("Tags.md", "'Tags.md' has the name of the tags page the site generates"),
        ("glossary/notes.md", "folder 'glossary/' has the name of the glossary page the site generates"),
        ("graph.md", "'graph.md' has the name of the graph page the site generates"),
        ("claims.md", "'claims.md' has the URL of the index page generated for folder 'claims/'"),
    ],
)
def test_a_note_named_like_a_generated_page_is_an_error_and_is_not_overwritten(path: str, reported: str) -> None:
    analysis = analysis_of([*VAULT, note(path, "Mine")])
    [problem] = [d for d in analysis.diagnostics if d.code == "reserved-name"]
    assert (problem.path, problem.line, problem.col, problem.severity) == (path, 1, 1, "error")
    assert problem.message.startswith(reported)
    generated = generated_pages(analysis, Settings(), site_url, True, "kb")
    assert not {url_key(p) for p in generated} & {url_key(n.path) for n in analysis.vault.notes}
    assert "glossary.md" not in generated or not path.lower().startswith("glossary")
    assert "tags.md" not in generated or not path.lower().startswith("tags")


def test_reserved_names_follow_the_options() -> None:
    analysis = analysis_of([note("glossary.md", "Mine")], Settings(glossary=False))
    assert not [d for d in analysis.diagnostics if d.code == "reserved-name"]
    assert "glossary.md" not in generated_pages(analysis, Settings(glossary=False), site_url, True, "kb")


def test_a_real_index_page_is_kept_and_not_reported() -> None:
    analysis = analysis_of(VAULT)
    assert not analysis.site.problems
    assert "coverage/index.md" not in generated_pages(analysis, Settings(), site_url, True, "kb")


@pytest.mark.parametrize(
    ("path", "listed"),
    [
        ("index.md", True),
        ("claims/index.md", True),
        ("claims/README.md", True),
        ("glossary.md", True),
        ("tags.md", True),
        ("graph.md", True),
        ("glossary/index.md", True),
        ("glossary/a.md", False),
        ("claims/cms-1500.md", False),
        ("about.md", False),
    ],
)
def test_the_navigation_lists_folders_and_top_pages_never_notes(path: str, listed: bool) -> None:
    assert in_navigation(path) is listed


@pytest.mark.parametrize(
    ("folder", "title"),
    [("code-sets", "Code sets"), ("a/evaluation_and_management", "Evaluation and management"), ("CMS", "CMS")],
)
def test_folder_title_matches_mkdocs(folder: str, title: str) -> None:
    assert folder_title(folder) == title
