"""kb's links, block anchors and facts go through Python-Markdown as finished HTML (acronyms explained
as the abbr extension does): the site is the very same as when they are written as Markdown, and text
in a note cannot pass for them."""

from __future__ import annotations

import re
from pathlib import Path

import kb.plugin
import markdown
import pytest
from kb.passthrough import END, START, PassThrough

from tests.site_helpers import build_site, write_vault

VAULT = {
    "index.md": "# Home\n\nStart at [[claims/cms-1500]] or [[Café notes|the café]].\n",
    "claims/index.md": "# Claims\n\n[[cms-1500#Box 24|box 24]], [[#Claims]].\n",
    "claims/cms-1500.md": (
        "---\ntitle: CMS-1500 <form> & more\naliases: ['1500 & co', '<HCFA>']\ncodes: ['A&B', '99213']\n---\n"
        "# CMS-1500\n\nSee [[ub-04]], [[ub-04|the *UB-04* & <others>]], [[ub-04#Form locators]] and [[#Box 24]].\n\n"
        "## Box 24\n\nA block that others link to. ^box-24\n\n## Notes on [[ub-04]] & [[NPI number|NPI]]\n\n"
        "- a list with [[Café notes]]\n- and [[claims]]\n\n"
        "| form | see |\n|---|---|\n| UB-04 | [[ub-04\\|the UB-04]] |\n\n"
        "> quoted [[cms-1500#^box-24]]\n\n"
        "Setext with [[ub-04]]\n---\n\n"
        "![[ub-04#Form locators]]\n\n"
        "The NPI goes in box 24J: [[ub-04|NPI rules]] and [[npi-note]].\n\n"
        "`[[not a link]]` and [[missing-note]].\n"
    ),
    "claims/ub-04.md": (
        "---\ntitle: UB-04\n---\n# UB-04\n\n## Form locators\n\nFL 56 holds the [[npi-note|NPI]]. ^fl-56\n"
    ),
    "coding/npi-note.md": (
        "---\ntitle: NPI\naliases: [NPI number]\nabbr:\n  NPI: National Provider Identifier\n"
        "  UB: 'Uniform Bill <\"04\"> & more'\n---\n"
        "# NPI\n\nBack to [[cms-1500#^box-24]] and [[ub-04#^fl-56]].\n"
    ),
    "coding/Café notes.md": "# Café notes\n\nÀ la [[npi-note]].\n",
}


CHARACTER_REFERENCE_RE = re.compile(r"&#([0-9]+);")


def pages(site: Path) -> dict[str, str]:
    """Every page's HTML, where Markdown wrote a character reference (`&#45;`) as the character itself."""

    def character(match: re.Match[str]) -> str:
        char = chr(int(match.group(1)))
        return match.group() if char in "<>&\"'" else char

    return {
        str(path.relative_to(site)): CHARACTER_REFERENCE_RE.sub(character, path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


@pytest.mark.slow
def test_the_site_is_the_same_as_with_markdown_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = write_vault(tmp_path / "notes", VAULT)
    wrapped: list[str] = []
    real = PassThrough.wrap
    monkeypatch.setattr(PassThrough, "wrap", lambda self, html: wrapped.append(html) or real(self, html))
    fast = pages(build_site(notes, tmp_path / "fast"))
    with monkeypatch.context() as patched:
        patched.setattr(kb.plugin, "RawHtml", lambda *args: None)  # every link, anchor and fact as Markdown
        slow = pages(build_site(notes, tmp_path / "slow"))
    assert fast.keys() == slow.keys()
    assert [name for name in fast if fast[name] != slow[name]] == []
    assert '<a href="../ub-04/"><abbr title="National Provider Identifier">NPI</abbr> rules</a>' in wrapped
    page = fast["claims/cms-1500/index.html"]
    assert '<a href="../ub-04/"><abbr title="National Provider Identifier">NPI</abbr> rules</a>' in page
    assert 'title="Uniform Bill &amp;lt;&quot;04&quot;&amp;gt; &amp;amp; more">UB</abbr>-04</a>' in page  # as ever


def markdown_with(extension: PassThrough) -> markdown.Markdown:
    return markdown.Markdown(extensions=[extension, "toc", "md_in_html", "tables"])


def test_wrapped_html_comes_back_as_it_was_wherever_it_is() -> None:
    passthrough = PassThrough()
    link = passthrough.wrap('<a href="x/">a *b* &amp; &lt;c&gt;</a>')
    source = (
        f"Text {link} more.\n\n# Head {link}\n\n- item {link}\n\n| a |\n|---|\n| {link} |\n\n"
        f'<div markdown="1">\nin a block {link}\n</div>\n\n{passthrough.wrap("<p class=x>alone</p>")}\n'
    )
    out = markdown_with(passthrough).convert(source)
    assert out.count('<a href="x/">a *b* &amp; &lt;c&gt;</a>') == 5
    assert '<h1 id="head-a-b-c">' in out  # the heading's id is made from the link's text
    assert "<p class=x>alone</p>" in out and "<p><p" not in out  # a block is not put in a paragraph
    assert START not in out and END not in out


def test_text_in_a_note_cannot_pass_for_wrapped_html() -> None:
    passthrough = PassThrough()
    forged = f"{START}*x*{END} {PassThrough().wrap('*y*')}\n"  # a mark without this build's code
    without = markdown.Markdown(extensions=["toc", "md_in_html", "tables"]).convert(forged)
    assert markdown_with(passthrough).convert(forged) == without  # read as any other text
    assert "<em>x</em>" in without and "<em>y</em>" in without
    wrapped = passthrough.wrap(f"<i>a{END}b{START}c</i>")  # marks inside the HTML are dropped, not obeyed
    assert markdown_with(passthrough).convert(wrapped) == "<p><i>abc</i></p>"
