"""Find Obsidian-style wikilinks in Markdown text, with their line and column.

Everything here is linear in the size of the text: one pass to find the regions that
are not prose (frontmatter, code, comments), one regex pass for the links.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kb.pickling import pickled_by_fields

# Patterns start with a literal character where they can: the regex engine then skips ahead
# to it instead of trying a match at every offset (10-40x faster on whole notes).
LINK_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")  # an embed is a link preceded by `!`
OPENER_RE = re.compile(r"\[\[")
FENCE_OPEN_RE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})(.*)$")
FRONTMATTER_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
INLINE_TOKEN_RE = re.compile(r"``*|%%|<!--|\\.", re.DOTALL)
BACKTICK_RUN_RE = re.compile(r"``*")
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """One wikilink occurrence; `start`/`end` are offsets of the whole `![[...]]`."""

    start: int
    end: int
    line: int
    col: int
    target: str
    anchor: str | None
    label: str | None
    embed: bool

    @property
    def raw(self) -> str:
        """The link as an editor would write it (without the embed `!`)."""
        text = self.target
        if self.anchor is not None:
            text += "#" + self.anchor
        if self.label is not None:
            text += "|" + self.label
        return f"[[{text}]]"


def frontmatter_bounds(text: str) -> tuple[int, int, int] | None:
    """(yaml_start, yaml_end, body_start) of a `---` frontmatter block closed by `---` or `...`."""
    if not text.startswith("---"):
        return None
    first_newline = text.find("\n")
    if first_newline < 0 or text[3:first_newline].strip():
        return None
    close = FRONTMATTER_CLOSE_RE.search(text, first_newline + 1)
    if close is None:
        return None
    end = text.find("\n", close.end())
    return first_newline + 1, close.start(), len(text) if end < 0 else end + 1


def frontmatter_end(text: str) -> int:
    """Offset just past a closed frontmatter block at the start of `text`, else 0."""
    bounds = frontmatter_bounds(text)
    return bounds[2] if bounds else 0


def fenced_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks; an unclosed fence runs to the end."""
    spans: list[tuple[int, int]] = []
    if "```" not in text and "~~~" not in text:
        return spans
    fence_char, fence_len, fence_start = "", 0, -1
    offset = start
    for line in text[start:].split("\n"):
        line_end = offset + len(line) + 1
        match = FENCE_OPEN_RE.match(line)
        if fence_start < 0:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence_char, fence_len, fence_start = match.group(1)[0], len(match.group(1)), offset
        elif (
            match
            and match.group(1)[0] == fence_char
            and len(match.group(1)) >= fence_len
            and not match.group(2).strip()
        ):
            spans.append((fence_start, min(line_end, len(text))))
            fence_start = -1
        offset = line_end
    if fence_start >= 0:
        spans.append((fence_start, len(text)))
    return spans


def _inline_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append code spans, `%%`/`<!-- -->` comments and escaped characters in text[start:end]."""
    runs: dict[int, list[int]] = {}
    blanks: list[int] = []
    if text.find("`", start, end) >= 0:  # code spans need this bookkeeping; most text has none
        for run in BACKTICK_RUN_RE.finditer(text, start, end):
            runs.setdefault(len(run.group()), []).append(run.start())
        blanks = [m.start() for m in BLANK_LINE_RE.finditer(text, start, end)]
    cursor: dict[int, int] = {}
    pos = start
    while pos < end:
        token = INLINE_TOKEN_RE.search(text, pos, end)
        if token is None:
            return
        kind, at = token.group(), token.start()
        if kind.startswith("`"):
            length = len(kind)
            positions = runs.get(length, [])
            index = cursor.get(length, 0)
            while index < len(positions) and positions[index] <= at:
                index += 1
            cursor[length] = index
            blank = bisect.bisect_left(blanks, at)
            paragraph_end = blanks[blank] if blank < len(blanks) else end
            if index < len(positions) and positions[index] < paragraph_end:
                close = positions[index] + length
                spans.append((at, close))
                pos = close
            else:
                pos = token.end()
        elif kind in ("%%", "<!--"):
            closer = "%%" if kind == "%%" else "-->"
            close = text.find(closer, token.end(), end)
            close = end if close < 0 else close + len(closer)
            spans.append((at, close))
            pos = close
        else:  # a backslash escape: the escaped character is text
            spans.append((at + 1, at + 2))
            pos = token.end()


class Spans:
    """Sorted, non-overlapping (start, end) regions, with a fast membership test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [start for start, _ in spans]

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and self.spans[index][0] <= offset < self.spans[index][1]


def excluded_spans(text: str) -> Spans:
    """The regions where `[[` is text, not a link: frontmatter, code, comments, escapes."""
    body = frontmatter_end(text)
    spans: list[tuple[int, int]] = [(0, body)] if body else []
    pos = body
    for fence_start, fence_end in fenced_spans(text, body):
        _inline_spans(text, pos, fence_start, spans)
        spans.append((fence_start, fence_end))
        pos = fence_end
    _inline_spans(text, pos, len(text), spans)
    return Spans(spans)


def parse_inner(inner: str) -> tuple[str, str | None, str | None]:
    """Split `target#anchor|label` (a `\\|` from a Markdown table counts as `|`)."""
    target, sep, label = inner.partition("|")
    if sep and target.endswith("\\"):
        target = target[:-1]
    target, hash_sign, anchor = target.partition("#")
    return (
        target.strip(),
        anchor.strip() if hash_sign else None,
        label.strip() if sep else None,
    )


class Lines:
    """1-based (line, col) of character offsets in a text."""

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.newlines, offset)
        line_start = self.newlines[index - 1] + 1 if index else 0
        return index + 1, offset - line_start + 1


def scan(text: str, spans: Spans | None = None) -> Iterator[Link]:
    """Yield every wikilink in `text` (a whole file, frontmatter included), in order."""
    if spans is None:
        spans = excluded_spans(text)
    line, counted = 1, 0  # links come in order: count newlines only since the previous one
    for match in LINK_RE.finditer(text):
        bracket = match.start()
        if bracket in spans:
            continue
        line += text.count("\n", counted, bracket)
        counted = bracket
        embed = bracket > 0 and text[bracket - 1] == "!"
        target, anchor, label = parse_inner(match.group(1))
        yield Link(
            start=bracket - 1 if embed else bracket,
            end=match.end(),
            line=line,
            col=bracket - text.rfind("\n", 0, bracket),
            target=target,
            anchor=anchor,
            label=label,
            embed=embed,
        )


def unclosed(text: str, links: Sequence[Link], spans: Spans) -> Iterator[tuple[int, int]]:
    """(line, col) of the first `[[` on each line that opens no link (Obsidian shows it as text)."""
    if text.count("[[") == len(links):
        return  # as many `[[` as links: each opens one (a link's `[[` is found once, a third `[` or not)
    inside = Spans([(link.start, link.end) for link in links])
    lines = Lines(text)
    last_line = 0
    for match in OPENER_RE.finditer(text):
        at = match.start()
        if at in spans or at in inside or at + 1 in inside:
            continue
        line, col = lines.at(at)
        if line != last_line:
            last_line = line
            yield line, col
