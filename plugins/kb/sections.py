"""Headings, heading slugs and block ids of a note: what `[[note#...]]` can point at."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.pickling import pickled_by_fields
from kb.wikilinks import Spans

Slugify = Callable[[str, str], str]

# Every pattern here is linear: no nested or adjacent quantifiers that can trade characters
# (a lazy `.*?` before `[ \t]+#+` took minutes on a heading of many spaces), and link text and
# URLs stop at the next bracket, so a line of thousands of `[` or `<` is one pass.
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t](.*))?$", re.MULTILINE)
BLOCK_ID_RE = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
# The same lines found faster, for whole notes: each pattern starts with a literal character.
ATX_LINE_RE = re.compile(r"\n {0,3}(#{1,6})(?:[ \t](.*))?$", re.MULTILINE)
SETEXT_LINE_RE = re.compile(r"\n {0,3}(=+|-+)[ \t]*$", re.MULTILINE)
BLOCK_ID_FAST_RE = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)  # preceded by a blank or line start
MARKUP_CHARS_RE = re.compile(r"[\[<*_`~]")  # a character that INLINE_MARKUP_RE could start at
INLINE_MARKUP_RE = re.compile(
    r"!?\[\[([^\[\]|#\n]*)(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]"  # wikilink -> label or name
    r"|!?\[([^\[\]\n]*)\]\((?:[^()\[\]\n]|\([^()\[\]\n]*\))*+\)"  # Markdown link or image -> its text
    r"|<[^<>\n]+>"  # HTML tag -> nothing
    r"|[*_`~]+"  # emphasis and code markers -> nothing
)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: `slug` is the HTML id the site gives it (unique within the page)."""

    level: int
    text: str
    slug: str
    line: int
    start: int


def toc_slugify(value: str, separator: str) -> str:
    """Python-Markdown's `toc` slugify, MkDocs' default; Markdown is imported on first use, so that a
    check that parses no note (an unchanged vault) does without it."""
    from markdown.extensions.toc import slugify

    return slugify(value, separator)


def plain_text(markdown: str) -> str:
    """The visible text of inline Markdown, as a heading's id is computed from it."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(2) if match.group(2) is not None else match.group(1)
        if match.group(3) is not None:
            return match.group(3)
        return ""

    if not MARKUP_CHARS_RE.search(markdown):
        return markdown.strip()  # most headings are plain text
    return INLINE_MARKUP_RE.sub(replace, markdown).strip()


def atx_text(rest: str) -> str:
    """An ATX heading's text: the line after `#`s, without a closing run of `#`s (`## A ##`)."""
    rest = rest.strip(" \t")
    unclosed = rest.rstrip("#")
    return unclosed.rstrip(" \t") if not unclosed or unclosed.endswith((" ", "\t")) else rest


def find_headings(
    text: str,
    spans: Spans,
    slugify: Slugify = toc_slugify,
    separator: str = "-",
) -> tuple[Heading, ...]:
    """ATX and setext headings outside the excluded `spans`, with their page ids."""
    from markdown.extensions.toc import unique  # imported here: see `toc_slugify`

    found: list[tuple[int, int, str]] = []  # (offset, level, text)
    # Searching "\n" + text for patterns that start with "\n" finds line starts far faster
    # than a MULTILINE "^"; every offset below is in `text` (one less).
    lined = "\n" + text
    for match in ATX_LINE_RE.finditer(lined):
        if match.start() not in spans:
            found.append((match.start(), len(match.group(1)), atx_text(match.group(2) or "")))
    consumed = -1  # a line that was the text of a setext heading cannot also underline one
    for match in SETEXT_LINE_RE.finditer(lined):
        offset = match.start()  # the underline's line start in `text`
        if offset == 0:
            continue
        previous_start = text.rfind("\n", 0, offset - 1) + 1
        previous = text[previous_start : offset - 1]
        if (
            previous_start != consumed
            and previous.strip()
            and not ATX_RE.match(previous)
            and not previous.lstrip().startswith(("-", "*", "+", ">", "|"))
            and previous_start not in spans
            and offset not in spans
        ):
            found.append((previous_start, 1 if match.group(1)[0] == "=" else 2, previous.strip()))
            consumed = offset
    found.sort()
    ids: set[str] = set()
    headings = []
    line, counted = 1, 0
    for start, level, raw in found:
        title = plain_text(raw)
        line += text.count("\n", counted, start)
        counted = start
        headings.append(
            Heading(
                level=level,
                text=title,
                slug=unique(cached_slug(slugify, title, separator), ids),
                line=line,
                start=start,
            )
        )
    return tuple(headings)


@functools.lru_cache(maxsize=1 << 16)
def cached_slug(slugify: Slugify, text: str, separator: str) -> str:
    """`slugify(text, separator)`, remembered: the same heading texts recur in note after note."""
    return slugify(text, separator)


def find_block_ids(text: str, spans: Spans) -> frozenset[str]:
    """Obsidian block ids (`^id` at the end of a paragraph line) outside `spans`."""
    return frozenset(
        match.group(1)
        for match in BLOCK_ID_FAST_RE.finditer(text)
        if (match.start() == 0 or text[match.start() - 1] in " \t\n") and match.start(1) not in spans
    )


def section_end(text: str, headings: tuple[Heading, ...], index: int) -> int:
    """Offset where the section of `headings[index]` ends (next heading of same or higher level)."""
    level = headings[index].level
    for heading in headings[index + 1 :]:
        if heading.level <= level:
            return heading.start
    return len(text)
