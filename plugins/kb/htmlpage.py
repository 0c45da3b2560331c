"""Pages the site generates, written as HTML: only their title goes through the site's Markdown.

A glossary page lists hundreds of notes: as Markdown, the 63 generated pages of a 1,000-note site
took about a second of its build. kb writes them as HTML instead, escaping the notes' text as it goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markdown.extensions.toc import unique

from kb.abbreviations import Abbreviations
from kb.render import heading_html, html_attr
from kb.urls import relative_url


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a generated page; its id is `slug`, made unique on the page when it is written."""

    level: int
    text: str
    slug: str


Block = str | Heading  # HTML, or a heading the page's table of contents lists


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """`markdown` (frontmatter and title, or whatever the site's other plugins must read), then `blocks`."""

    markdown: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Writer:
    """Writes the HTML of the generated page at `path`: links relative to it, the notes' text escaped."""

    path: str
    site_url: Callable[[str], str]  # a page's source path -> its URL from the site root
    abbreviations: Abbreviations

    def at(self, path: str) -> Writer:
        return replace(self, path=path)

    def text(self, text: str) -> str:
        """User-written `text` as HTML, its acronyms explained as on the notes' pages."""
        return self.abbreviations.markup(text)

    def link(self, target: str, label_html: str, css_class: str = "") -> str:
        """A link to the page at source path `target` (`#id` for one on this page), showing `label_html`."""
        href = target if target.startswith("#") else relative_url(self.site_url(target), self.site_url(self.path))
        attrs = f' class="{css_class}"' if css_class else ""
        return f'<a{attrs} href="{html_attr(href)}">{label_html}</a>'


def write_page(blocks: Sequence[Block], taken: set[str], toc: Mapping[str, Any]) -> tuple[str, list[Heading]]:
    """`blocks` as HTML, each heading written as the `toc` extension would, its id unique among `taken`.

    Returns the HTML and the headings with the ids they got; `taken` gains those ids.
    """
    out, headings = [], []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = unique(block.slug, taken)
            out.append(heading_html(block.text, anchor, toc, block.level, exclude_from_search=False))
            headings.append(Heading(block.level, block.text, anchor))
        else:
            out.append(block)
    return "\n".join(out), headings
