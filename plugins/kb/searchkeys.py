"""Aliases and codes in Material's search index, so a code or another name finds its note first.

Material's index has the fields title, text and tags. Each note's page entry gains an `aliases`
field where each of its names (title, file name, aliases, codes) is a single token ("E/M coding" ->
`E/M_coding_`): a query then matches the notes known by a name starting with it, not every note
that mentions it. The closing
'_' keeps a token apart from the same word in the text, so a short alias ("ABN") weighs as much
as a long one ("ABN modifiers") instead of less for being a common word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from kb.notes import Note

FIELD = "aliases"
BOOST = 1e4  # above the title (1e3): being known by the name beats mentioning it in the title
DEFAULT_SEPARATOR = r"[\s\-]+"


def separator_pattern(source: str) -> re.Pattern[str]:
    """The search index's (JavaScript) word separator as a Python regex; MkDocs' default if it does not compile."""
    try:
        return re.compile(source)
    except re.error:
        return re.compile(DEFAULT_SEPARATOR)


def search_keys(note: Note, separator: re.Pattern[str]) -> str:
    """The note's names (title, file name, aliases, codes), each one token (`word_word_`), HTML-escaped.

    A name given twice (say as an alias and as a code) counts twice: the note is known by it twice over.
    """
    names = (note.title, note.name, *note.aliases, *note.codes)
    tokens = ("".join(f"{word}_" for word in separator.split(name) if word) for name in names)
    return " ".join(html.escape(token, quote=False) for token in tokens if token)


def add_search_keys(index: dict[str, Any], notes_by_location: Mapping[str, Note]) -> dict[str, Any]:
    """Add the `aliases` field to `index` (Material's search_index.json) for the page entry of each note."""
    config = index.setdefault("config", {})
    separator = separator_pattern(str(config.get("separator") or DEFAULT_SEPARATOR))
    config.setdefault("fields", {})[FIELD] = {"boost": BOOST}
    for doc in index.get("docs", []):
        note = notes_by_location.get(doc.get("location"))
        if note is not None:
            keys = search_keys(note, separator)
            if keys:
                doc[FIELD] = keys
    return index
