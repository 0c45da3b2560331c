"""The generated glossary: every note A–Z with its aliases, codes and description, and grouped by tag.

Up to `glossary_split_at` notes it is one page, `glossary.md`; past that, `glossary/index.md` links to
one page per letter (`glossary/a.md` ...) and per tag (`glossary/tag-medicare.md` ...).
"""

from __future__ import annotations

import json
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from markdown.extensions.toc import unique

from kb.notepage import fact_lines
from kb.notes import Note
from kb.render import Page, md_text
from kb.resolve import Index, fold
from kb.settings import Settings

DIGITS, OTHER = "0-9", "other"
GROUPS = (*string.ascii_lowercase, DIGITS, OTHER)
LABELS = {**{letter: letter.upper() for letter in string.ascii_lowercase}, DIGITS: "0–9", OTHER: "Other"}
INTRO = "Every note of the knowledge base, A to Z, with its other names, its codes and what it is."


def front_matter(title: str = "") -> str:
    """Frontmatter of a generated page: out of the search index (the notes are the results), optional title."""
    return "---\n" + (f"title: {json.dumps(title)}\n" if title else "") + "search:\n  exclude: true\n---\n"


def initial(title: str) -> str:
    """The group of a title: its first letter (accents dropped, 'É' -> 'e'), '0-9' or 'other'."""
    for char in unicodedata.normalize("NFKD", title):
        if char.isalnum():
            if char.isascii() and char.isalpha():
                return char.lower()
            return DIGITS if char.isdigit() else OTHER
    return OTHER


def sort_key(note: Note) -> tuple[str, str]:
    return fold(note.title.lstrip(string.punctuation + " ")), note.path


def by_initial(notes: Iterable[Note]) -> dict[str, list[Note]]:
    groups: dict[str, list[Note]] = {}
    for note in sorted(notes, key=sort_key):
        groups.setdefault(initial(note.title), []).append(note)
    return {group: groups[group] for group in GROUPS if group in groups}


def by_tag(notes: Iterable[Note]) -> dict[str, list[Note]]:
    groups: dict[str, list[Note]] = {}
    for note in sorted(notes, key=sort_key):
        for tag in dict.fromkeys(note.tags):
            groups.setdefault(tag, []).append(note)
    return dict(sorted(groups.items(), key=lambda item: (fold(item[0]), item[0])))


def entry(note: Note, page: Page) -> str:
    """One glossary line: the linked title, its description, then aliases and codes."""
    line = f"- [{md_text(note.title)}]({page.url(note.path)}){{ .kb-term }}"
    if note.description:
        line += f" — {md_text(note.description)}"
    return line + "".join(f"<br>\n  {fact}" for fact in fact_lines(note))


def letter_index(groups: Mapping[str, Sequence[Note]], link: Callable[[str], str], current: str = "") -> str:
    """A–Z (and 0–9, Other) links to the groups that have notes; empty letters are shown greyed."""
    items = []
    for group in GROUPS:
        label = LABELS[group]
        if group == current:
            items.append(f"**{label}**")
        elif group in groups:
            items.append(f"[{label}]({link(group)})")
        elif group in string.ascii_lowercase:
            items.append(f'<span class="kb-letter-empty">{label}</span>')
    return " ".join(items) + "\n{ .kb-letters }"


def tag_slugs(tags: Iterable[str], settings: Settings) -> dict[str, str]:
    """A unique, URL-safe slug per tag (`tag-1` ... for tags the slugifier leaves empty)."""
    seen: set[str] = set()
    return {
        tag: unique(settings.slugify(tag, settings.separator) or f"tag-{number}", seen)
        for number, tag in enumerate(tags, 1)
    }


def single_page(notes: Sequence[Note], index: Index, settings: Settings) -> dict[str, str]:
    page = Page("glossary.md", index, settings)
    letters, tags = by_initial(notes), by_tag(notes)
    slugs = tag_slugs(tags, settings)
    parts = [f"{front_matter()}# Glossary\n\n{INTRO} [By tag](#by-tag)", letter_index(letters, "#{}".format)]
    for group, members in letters.items():
        parts.append(f"## {LABELS[group]} {{ #{group} }}\n\n" + "\n".join(entry(note, page) for note in members))
    if tags:
        parts.append("## By tag { #by-tag }")
        for tag, members in tags.items():
            listing = "\n".join(f"- [{md_text(note.title)}]({page.url(note.path)})" for note in members)
            parts.append(f"### {md_text(tag)} {{ #tag-{slugs[tag]} }}\n\n{listing}")
    return {"glossary.md": "\n\n".join(parts) + "\n"}


def split_pages(notes: Sequence[Note], index: Index, settings: Settings) -> dict[str, str]:
    letters, tags = by_initial(notes), by_tag(notes)
    slugs = tag_slugs(tags, settings)
    tag_list = "\n".join(f"- [{md_text(tag)}](tag-{slugs[tag]}.md) ({len(members)})" for tag, members in tags.items())
    pages = {
        "glossary/index.md": f"{front_matter()}# Glossary\n\n{INTRO}\n\n"
        + letter_index(letters, "{}.md".format)
        + (f"\n\n## By tag\n\n{tag_list}\n" if tags else "\n")
    }
    for group, members in letters.items():
        path = f"glossary/{group}.md"
        page = Page(path, index, settings)
        listing = "\n".join(entry(note, page) for note in members)
        letters_line = letter_index(letters, "{}.md".format, group)
        pages[path] = f"{front_matter()}# Glossary: {LABELS[group]}\n\n{letters_line}\n\n{listing}\n"
    for tag, members in tags.items():
        path = f"glossary/tag-{slugs[tag]}.md"
        page = Page(path, index, settings)
        listing = "\n".join(entry(note, page) for note in members)
        pages[path] = f"{front_matter()}# Glossary: {md_text(tag)}\n\n[All letters](index.md)\n\n{listing}\n"
    return pages


def glossary_pages(notes: Sequence[Note], index: Index, settings: Settings) -> dict[str, str]:
    """Markdown of every glossary page, by path."""
    if len(notes) > settings.glossary_split_at:
        return split_pages(notes, index, settings)
    return single_page(notes, index, settings)
