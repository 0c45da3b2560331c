"""Acronyms defined in the notes' `abbr:` frontmatter: one table for the site, conflicts, per-page definitions."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import yaml

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import YAML_LOADER, Note
from kb.wikilinks import frontmatter_bounds

WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Abbreviations:
    """Every acronym the notes define (the first note in path order wins) and one regex finding them all."""

    expansions: Mapping[str, str]
    pattern: re.Pattern[str] | None

    def definitions(self, markdown: str, own: Mapping[str, str] | None = None) -> str:
        """Python-Markdown `*[ACRONYM]: expansion` lines for the acronyms that occur in `markdown`.

        A note's `own` expansions take precedence, so a note is never contradicted on its own page.
        """
        if self.pattern is None:
            return ""
        used = sorted(set(self.pattern.findall(markdown)))
        lines = [f"*[{key}]: {self.expansion(key, own)}" for key in used]
        return "\n\n" + "\n".join(lines) + "\n" if lines else ""

    def expansion(self, key: str, own: Mapping[str, str] | None = None) -> str:
        """What `key` stands for on a page: the note's `own` expansion first, else the site's, on one line."""
        return one_line((own or {}).get(key) or self.expansions[key])

    def markup(self, text: str, own: Mapping[str, str] | None = None, sanitized: bool = True) -> str:
        """`text` as HTML with each acronym in an `<abbr>`, as a note page shows it once sanitized.

        The title is escaped twice: Material's tooltips (content.tooltips) insert it as HTML. HTML that
        is not `sanitized` yet gets it escaped once, as Python-Markdown writes it; the sanitizer adds the other.
        """
        out, pos = [], 0
        for match in self.pattern.finditer(text) if self.pattern else ():
            expansion = self.expansion(match.group(), own)
            expansion = html.escape(html.escape(expansion, quote=False) if sanitized else expansion)
            out += [html.escape(text[pos : match.start()], quote=False), f'<abbr title="{expansion}">']
            out += [html.escape(match.group(), quote=False), "</abbr>"]
            pos = match.end()
        out.append(html.escape(text[pos:], quote=False))
        return "".join(out)


def one_line(text: str) -> str:
    return " ".join(text.split())


def same_meaning(first: str, second: str) -> bool:
    """Equal words ignoring case and punctuation, or one adds a trailing qualifier ('... Act' / '... Act of 1996')."""
    a, b = WORD_RE.findall(first.casefold()), WORD_RE.findall(second.casefold())
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter


def usable(key: str) -> bool:
    """Python-Markdown cannot define an abbreviation containing a backslash or a line break."""
    return "\\" not in key and "\n" not in key


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of `words`, factored as a trie so its cost does not grow with their number."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional tail: the longest acronym wins, as in Python-Markdown's longest-first alternation.
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def key_position(note: Note, key: str) -> tuple[int, int]:
    """Line and column of `key` under `abbr:` in the note's frontmatter (1, 1 if it cannot be found)."""
    bounds = frontmatter_bounds(note.text)
    if bounds is None:
        return 1, 1
    start, end, _ = bounds
    try:
        root = yaml.compose(note.text[start:end], Loader=YAML_LOADER)
    except yaml.YAMLError:
        return 1, 1
    first_line = note.text.count("\n", 0, start) + 1
    for name, value in getattr(root, "value", ()) if isinstance(root, yaml.MappingNode) else ():
        if name.value == "abbr" and isinstance(value, yaml.MappingNode):
            for entry, _ in value.value:
                if str(entry.value).strip() == key:
                    return first_line + entry.start_mark.line, entry.start_mark.column + 1
    return 1, 1


def collect_abbreviations(
    notes: Iterable[Note], position: Callable[[Note, str], tuple[int, int]] | None = None
) -> tuple[Abbreviations, list[Diagnostic]]:
    """The site's acronym table, and an `abbr-conflict` warning where a later note gives one another meaning.

    The warning is placed by `position` (a note and a key: its line and column), `key_position` if not given.
    """
    expansions: dict[str, str] = {}
    owner: dict[str, Note] = {}
    problems = []
    for note in notes:
        for key, expansion in note.abbr.items():
            if not usable(key):
                continue
            expansion = one_line(expansion)
            if key not in expansions:
                expansions[key], owner[key] = expansion, note
            elif not same_meaning(expansion, expansions[key]):
                line, col = (position or key_position)(note, key)
                problems.append(
                    diag.make(
                        "abbr-conflict",
                        note.path,
                        line,
                        col,
                        f"abbreviation '{key}' is expanded as '{expansion}' here"
                        f" but as '{expansions[key]}' in {owner[key].path}",
                        f"give '{key}' one expansion in every note, or remove it from this note's abbr:",
                    )
                )
    pattern = re.compile(rf"\b{trie_pattern(expansions)}\b") if expansions else None
    return Abbreviations(expansions, pattern), problems
