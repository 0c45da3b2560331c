"""A Python-Markdown extension that hands kb's finished HTML back untouched.

kb writes a note page's links, block anchors and facts as HTML it has already escaped. Written as
Markdown, Python-Markdown would parse them again (a note's links cost it a fifth of the page);
marked with `wrap`, they are put in Markdown's own store of raw HTML before the page is read, and
come back as they were. The mark starts with a code made for each build, so text in a note cannot
pass for it.
"""

from __future__ import annotations

import re
import secrets

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

START, END = "\ue000", "\ue001"  # Unicode private-use characters, removed from what is wrapped


class _Stash(Preprocessor):
    def __init__(self, md: Markdown, marked: re.Pattern[str]) -> None:
        super().__init__(md)
        self.marked = marked

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if START not in text:
            return lines
        return self.marked.sub(lambda match: self.md.htmlStash.store(match.group(1)), text).split("\n")


class PassThrough(Extension):
    """Register with Python-Markdown; `wrap` marks the HTML it must hand back untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.start = START + secrets.token_hex(8)
        self.marked = re.compile(f"{re.escape(self.start)}([^{START}{END}]*){END}")

    def wrap(self, html: str) -> str:
        return self.start + html.replace(START, "").replace(END, "") + END

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30), which removes the characters that delimit the store's placeholders.
        md.preprocessors.register(_Stash(md, self.marked), "kb_passthrough", 29)
