"""What a note page shows from its frontmatter: "Also known as" (aliases) and "Codes", under the title."""

from __future__ import annotations

from collections.abc import Callable

from kb.notes import Note
from kb.render import RawHtml, md_text
from kb.sections import find_headings
from kb.wikilinks import excluded_spans


def fact_lines(note: Note, text: Callable[[str], str] = md_text) -> list[str]:
    """ "Also known as" (aliases) and "Codes" as lines of Markdown, or of HTML, as `text` escapes user text."""
    lines = []
    if note.aliases:
        aliases = ", ".join(text(alias) for alias in note.aliases)
        lines.append(f'<span class="kb-label">Also known as</span> {aliases}')
    if note.codes:
        codes = " ".join(f"<code>{text(code)}</code>" for code in note.codes)
        lines.append(f'<span class="kb-label">Codes</span> {codes}')
    return lines


def note_facts(note: Note, raw: RawHtml | None = None) -> str:
    """The fact lines as one paragraph for the note page, or '' for a note without aliases and codes;
    with `raw`, finished HTML passed through the page's Markdown."""
    if raw is not None:
        lines = fact_lines(note, raw.text)
        return raw.wrap('<p class="kb-facts">' + "<br>\n".join(lines) + "</p>") if lines else ""
    lines = fact_lines(note)
    return "<br>\n".join(lines) + "\n{ .kb-facts }" if lines else ""


def insert_after_title(markdown: str, block: str) -> str:
    """`block` as a paragraph after the page's first level-1 heading (at the top if it has none)."""
    if not block:
        return markdown
    title = next((h for h in find_headings(markdown, excluded_spans(markdown)) if h.level == 1), None)
    if title is None:
        return f"{block}\n\n{markdown}"
    end = markdown.find("\n", title.start)
    end = len(markdown) if end < 0 else end
    if not markdown[title.start : end].lstrip().startswith("#"):  # setext: the underline belongs to the title
        underline_end = markdown.find("\n", end + 1)
        end = len(markdown) if underline_end < 0 else underline_end
    rest = markdown[end:].lstrip("\n")
    return f"{markdown[:end]}\n\n{block}\n\n{rest}"
