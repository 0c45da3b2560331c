"""Turn wikilinks into ordinary Markdown for the site: links, embeds, broken-link spans.

Pure string work: the caller gives the page's Markdown, the note it belongs to and the
index; MkDocs then maps the `.md` links to URLs and checks them as usual. A caller that knows
the site's URLs and can pass HTML through its Markdown engine untouched (`RawHtml`) gets the
links and block anchors as finished HTML instead, which the engine need not parse.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from kb.abbreviations import Abbreviations
from kb.analysis import Analysis
from kb.embeds import MAX_EMBED_DEPTH
from kb.graph import backlinks
from kb.notes import Note
from kb.resolve import Index, Resolution, resolve_link
from kb.sections import BLOCK_ID_RE, plain_text, section_end
from kb.settings import Settings
from kb.urls import relative_path
from kb.wikilinks import Lines, Link, Spans, excluded_spans, scan

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
SIZE_RE = re.compile(r"^(\d{1,5})(?:x(\d{1,5}))?$")
BRACKET_RE = re.compile(r"[\[\]]")
_CHARACTER_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
Abbr = Mapping[str, str]  # a note's own acronym expansions


def md_text(text: str) -> str:
    """`text` as literal Markdown: every ASCII punctuation character becomes a character reference."""
    return text.translate(_CHARACTER_REFERENCES)


def html_attr(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class RawHtml:
    """How kb's own HTML goes through a page's Markdown engine untouched, to be sanitized with the page."""

    url: Callable[[str], str]  # the URL of the page at a source path, relative to this page
    wrap: Callable[[str], str]  # HTML as text that the engine hands back as that HTML
    abbreviations: Abbreviations
    own: Abbr | None = None  # the page's note's own acronyms

    def text(self, text: str) -> str:
        """`text` as HTML, its acronyms explained as the engine explains them in the page's Markdown."""
        return self.abbreviations.markup(text, self.own, sanitized=False)


@dataclass(frozen=True, slots=True)
class Page:
    """The page being rendered: its source path fixes every relative URL."""

    path: str
    index: Index
    settings: Settings
    raw: RawHtml | None = None  # links as HTML, when the caller can pass HTML through; else Markdown links
    embedded: set[str] = field(default_factory=set)  # parts already inlined on this page

    def url(self, path: str, fragment: str = "", final: bool = False) -> str:
        """The link to `path`: its source file from this page's, or with `final` its URL on the site."""
        if path == self.path and fragment:
            return f"#{fragment}"
        base = self.raw.url(path) if final and self.raw else quote(relative_path(path, self.path) or ".")
        return base + (f"#{fragment}" if fragment else "")


def link_text(res: Resolution, page: Page) -> str:
    """What a link shows: its label, else the target's title (or the link as written)."""
    link = res.link
    if link.label:
        return link.label
    heading = res.heading.text if res.heading else (link.anchor or "").split("#")[-1]
    if page.settings.link_text == "as-written" or res.note is None:
        base = link.target or ""
        parts = [base, *(link.anchor or "").split("#")] if link.anchor else [base]
        return " > ".join(p for p in parts if p)
    if res.note is not None and not link.target:
        return heading or res.note.title
    return f"{res.note.title} › {heading}" if link.anchor and heading else res.note.title


def broken_span(text: str, why: str) -> str:
    # Character references keep Markdown from reading `[x](y)` inside the title as a link (and breaking it).
    return f'<span class="kb-broken" title="{md_text(why)}">{md_text(text)}</span>'


def _embedded_part(res: Resolution) -> str:
    note = res.note
    assert note is not None
    if res.heading is not None:
        index = note.headings.index(res.heading)
        return note.text[res.heading.start : section_end(note.text, note.headings, index)]
    if res.block is not None:
        match = next(m for m in BLOCK_ID_RE.finditer(note.text) if m.group(1) == res.block)
        start = note.text.rfind("\n\n", 0, match.start())
        return note.text[start + 2 if start >= 0 else note.body_start : match.start()].strip()
    return note.body


def _alone_on_line(markdown: str, link: Link) -> bool:
    line_start = markdown.rfind("\n", 0, link.start) + 1
    line_end = markdown.find("\n", link.end)
    return (
        not markdown[line_start : link.start].strip()
        and not markdown[link.end : None if line_end < 0 else line_end].strip()
    )


def _render_file(res: Resolution, page: Page) -> str:
    assert res.file is not None
    link = res.link
    url = page.url(res.file)
    name = res.file.rsplit("/", 1)[-1]
    if link.embed and res.file.lower().endswith(IMAGE_SUFFIXES):
        size = SIZE_RE.match(link.label or "")
        alt = md_text(name if size or not link.label else link.label)
        attrs = ""
        if size:
            attrs = f'{{ width="{size.group(1)}"' + (f' height="{size.group(2)}"' if size.group(2) else "") + " }"
        return f"![{alt}]({url}){attrs}"
    return f"[{md_text(link.label or name)}]({url})"


def _render_embed(res: Resolution, page: Page, stack: tuple[str, ...], block: bool) -> str:
    note = res.note
    assert note is not None
    title = f"[{md_text(link_text(res, page))}]({page.url(note.path, res.fragment)})"
    if not block:
        return title
    key = f"{note.path}#{res.link.anchor or ''}"
    if key in stack:
        return broken_span(res.link.raw, "embed cycle: this part is already being embedded here")
    if key in page.embedded:
        return title  # inlined once per page: repeats would multiply the page (A embeds B twice, B embeds C twice...)
    if len(stack) > MAX_EMBED_DEPTH:
        return broken_span(res.link.raw, "embeds nested too deep")
    page.embedded.add(key)
    inner = render_markdown(_embedded_part(res), note, page, (*stack, key))
    heading = f'<p class="kb-embed-title" markdown="span">{title}</p>'
    return f'<div class="kb-embed" markdown="1">\n{heading}\n\n{inner}\n\n</div>'


def render_link(res: Resolution, markdown: str, page: Page, stack: tuple[str, ...]) -> str:
    """The Markdown that replaces one wikilink."""
    if not res.resolved:
        why = next((p.text for p in res.problems), "unresolved link")
        return broken_span(res.link.label or res.link.raw, why)
    if res.file is not None:
        return _render_file(res, page)
    if res.link.embed:
        return _render_embed(res, page, stack, _alone_on_line(markdown, res.link))
    assert res.note is not None
    text, raw = link_text(res, page), page.raw
    if raw is not None:
        href = html_attr(page.url(res.note.path, res.fragment, final=True))
        return raw.wrap(f'<a href="{href}">{raw.text(text)}</a>')
    return f"[{md_text(text)}]({page.url(res.note.path, res.fragment)})"


def unmatched_brackets(markdown: str, spans: Spans, links: Spans) -> list[int]:
    """Offsets of prose `[` that no later `]` closes, outside `links` and lines indented like code.

    Such a `[` never opens a Markdown link, but Python-Markdown scans to the end of the paragraph
    for each one (Python-Markdown#798): a line of 10,000 `[[` took minutes. As `&#91;` it shows the same.
    """
    opened: list[int] = []
    for match in BRACKET_RE.finditer(markdown):
        if match.start() in spans or match.start() in links:
            continue
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            opened.pop()
    lines = Lines(markdown)
    return [at for at in opened if not markdown.startswith(("    ", "\t"), at - lines.at(at)[1] + 1)]


def render_markdown(markdown: str, note: Note, page: Page, stack: tuple[str, ...] = ()) -> str:
    """Rewrite every wikilink in `markdown` (a part of `note`) and anchor its block ids."""
    spans = excluded_spans(markdown)
    edits: list[tuple[int, int, str]] = []
    links = list(scan(markdown, spans))
    for link in links:
        res = resolve_link(page.index, note, link)
        edits.append((link.start, link.end, render_link(res, markdown, page, stack or (f"{note.path}#",))))
    for match in BLOCK_ID_RE.finditer(markdown):
        position = match.start(1) - 1
        if position not in spans:
            anchor = f'<a id="^{html_attr(match.group(1))}" class="kb-block"></a>'
            edits.append((position, match.end(1), page.raw.wrap(anchor) if page.raw else anchor))
    linked = Spans([(link.start, link.end) for link in links])
    edits += [(at, at + 1, "&#91;") for at in unmatched_brackets(markdown, spans, linked)]
    edits.sort()
    out, pos = [], 0
    for start, end, replacement in edits:
        out += [markdown[pos:start], replacement]
        pos = end
    out.append(markdown[pos:])
    return "".join(out)


def _plain_keeping_spaces(markdown: str) -> str:
    lead = " " if markdown[:1].isspace() else ""
    trail = " " if markdown[-1:].isspace() else ""
    return lead + plain_text(markdown) + trail


class Backlinks:
    """The 'Linked from' entries of a build's notes; a line linking to several notes is read once."""

    def __init__(self, analysis: Analysis, settings: Settings) -> None:
        self.analysis = analysis
        self.graph = analysis.graph  # built now, once: before a worker is forked to make the entries
        self.context_page = Page("", analysis.index, settings)  # link texts need only the index and settings
        self.resolved = {(res.source.path, res.link.start): res for res in analysis.resolutions}
        self.lines: dict[tuple[str, int], tuple[str, dict[int, tuple[int, str]]]] = {}

    def linked_from(self, note: Note) -> bool:
        """Whether another note links to `note` (its page has a 'Linked from' section)."""
        return any(source != note.id for source in self.graph.predecessors(note.id))

    def entries(self, note: Note) -> list[tuple[Note, str]]:
        """Every note linking to `note`, once, with the line around its first link here ('' if only the link)."""
        entries, seen = [], set()
        for source_id, line, col in backlinks(self.graph, note.id):
            if source_id in seen:
                continue
            seen.add(source_id)
            source = self.analysis.index.by_id[source_id]
            link = next(link for link in source.links if (link.line, link.col) == (line, col))
            entries.append((source, self.context(source, link)))
        return entries

    def context(self, source: Note, link: Link, width: int = 180) -> str:
        """The line around `link` as plain text, its links shown as on the page, about `width` long.

        '' when the line holds nothing but the link (a Related list item): it would only repeat the title.
        """
        start = source.text.rfind("\n", 0, link.start) + 1
        sentence, shown_at = self._line(source, start)
        at, focus_text = shown_at.get(link.start - start, (0, ""))
        if sentence == focus_text:
            return ""
        if len(sentence) <= width:
            return sentence
        begin = max(0, at - width // 2)
        finish = min(len(sentence), at + len(focus_text) + width // 2)
        return ("…" if begin else "") + sentence[begin:finish].strip() + ("…" if finish < len(sentence) else "")

    def _line(self, source: Note, start: int) -> tuple[str, dict[int, tuple[int, str]]]:
        """The line at `start` as plain text, and where each of its links (by offset) shows what text."""
        found = self.lines.get((source.path, start))
        if found is None:
            text = source.text
            end = text.find("\n", start)
            line = text[start : len(text) if end < 0 else end]
            pieces, pos, shown_at = [], 0, {}
            for link in scan(line, Spans([])):
                pieces.append(_plain_keeping_spaces(line[pos : link.start]))
                res = self.resolved.get((source.path, start + link.start))
                if res is None or res.link.raw != link.raw:  # a link the note's own scan skipped (in code)
                    res = resolve_link(self.context_page.index, source, link)
                shown = link_text(res, self.context_page)
                shown_at[link.start] = (len("".join(pieces)), shown)
                pieces.append(shown)
                pos = link.end
            pieces.append(_plain_keeping_spaces(line[pos:]))
            sentence = " ".join("".join(pieces).split()).lstrip("-*+> #")
            found = self.lines[(source.path, start)] = (sentence, shown_at)
        return found


def heading_html(
    text: str, anchor: str, toc: Mapping[str, Any], level: int = 2, *, exclude_from_search: bool = True
) -> str:
    """A heading as Python-Markdown's toc extension writes it, with the `toc` options' permalink, class and title.

    Search skips its section unless told otherwise (kb's sections are added after the search plugin reads the page).
    """
    permalink = toc.get("permalink", False)
    mark = "¶" if permalink is True else permalink
    if mark:
        mark = (
            f'<a class="{html_attr(toc.get("permalink_class", "headerlink"))}" href="#{html_attr(anchor)}" '
            f'title="{html_attr(toc.get("permalink_title", "Permanent link"))}">{mark}</a>'
        )
    skip = ' data-search-exclude=""' if exclude_from_search else ""
    return f'<h{level}{skip} id="{html_attr(anchor)}">{html.escape(text)}{mark or ""}</h{level}>'


def backlinks_list(
    entries: list[tuple[Note, str]], url: Callable[[str], str], abbreviations: Abbreviations, own: Abbr
) -> str:
    """The 'Linked from' entries as an HTML list: no Markdown to convert, and no search plugin to read it."""
    lines = []
    for source, context in entries:
        line = f'<a href="{html_attr(url(source.path))}">{abbreviations.markup(source.title, own)}</a>'
        lines.append(line + (f": {abbreviations.markup(context, own)}" if context else ""))
    return html_list(lines)


def backlinks_section(heading: str, entries: str) -> str:
    """The 'Linked from' section: its heading (`heading_html`) and its list (`backlinks_list`)."""
    return f'\n<section class="kb-backlinks">\n{heading}\n{entries}\n</section>'


def html_list(lines: Iterable[str]) -> str:
    """A bulleted list of HTML lines."""
    return "<ul>\n" + "".join(f"<li>{line}</li>\n" for line in lines) + "</ul>"
