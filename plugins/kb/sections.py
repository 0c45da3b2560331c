"""Headings, heading slugs and block ids of a note: what `[[note#...]]` can point at."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique

from kb.wikilinks import Spans

Slugify = Callable[[str, str], str]

# Every pattern here is linear: no nested or adjacent quantifiers that can trade characters
# (a lazy `.*?` before `[ \t]+#+` took minutes on a heading of many spaces), and link text and
# URLs stop at the next bracket, so a line of thousands of `[` or `<` is one pass.
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t](.*))?$", re.MULTILINE)
SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
BLOCK_ID_RE = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
INLINE_MARKUP_RE = re.compile(
    r"!?\[\[([^\[\]|#\n]*)(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]"  # wikilink -> label or name
    r"|!?\[([^\[\]\n]*)\]\((?:[^()\[\]\n]|\([^()\[\]\n]*\))*+\)"  # Markdown link or image -> its text
    r"|<[^<>\n]+>"  # HTML tag -> nothing
    r"|[*_`~]+"  # emphasis and code markers -> nothing
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: `slug` is the HTML id the site gives it (unique within the page)."""

    level: int
    text: str
    slug: str
    line: int
    start: int


def plain_text(markdown: str) -> str:
    """The visible text of inline Markdown, as a heading's id is computed from it."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(2) if match.group(2) is not None else match.group(1)
        if match.group(3) is not None:
            return match.group(3)
        return ""

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
    found: list[tuple[int, int, str]] = []  # (offset, level, text)
    for match in ATX_RE.finditer(text):
        if match.start() not in spans:
            found.append((match.start(), len(match.group(1)), atx_text(match.group(2) or "")))
    offset, previous, previous_start = 0, "", -1
    for line in text.split("\n"):
        underline = SETEXT_RE.match(line)
        if (
            underline
            and previous.strip()
            and not ATX_RE.match(previous)
            and not previous.lstrip().startswith(("-", "*", "+", ">", "|"))
            and previous_start not in spans
            and offset not in spans
        ):
            found.append((previous_start, 1 if underline.group(1)[0] == "=" else 2, previous.strip()))
            previous, previous_start = "", -1
        else:
            previous, previous_start = line, offset
        offset += len(line) + 1
    found.sort()
    newlines = [m.start() for m in re.finditer("\n", text)]
    ids: set[str] = set()
    headings = []
    for start, level, raw in found:
        title = plain_text(raw)
        headings.append(
            Heading(
                level=level,
                text=title,
                slug=unique(slugify(title, separator), ids),
                line=bisect.bisect_left(newlines, start) + 1,
                start=start,
            )
        )
    return tuple(headings)


def find_block_ids(text: str, spans: Spans) -> frozenset[str]:
    """Obsidian block ids (`^id` at the end of a paragraph line) outside `spans`."""
    return frozenset(match.group(1) for match in BLOCK_ID_RE.finditer(text) if match.start(1) not in spans)


def section_end(text: str, headings: tuple[Heading, ...], index: int) -> int:
    """Offset where the section of `headings[index]` ends (next heading of same or higher level)."""
    level = headings[index].level
    for heading in headings[index + 1 :]:
        if heading.level <= level:
            return heading.start
    return len(text)
