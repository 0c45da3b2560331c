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

from kb.htmlpage import GeneratedPage, Heading, Writer
from kb.notepage import fact_lines
from kb.notes import Note
from kb.render import html_list, md_text
from kb.resolve import fold
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


def entry(note: Note, writer: Writer) -> str:
    """One glossary line: the linked title, its description, then aliases and codes."""
    line = writer.link(note.path, writer.text(note.title), "kb-term")
    if note.description:
        line += f" — {writer.text(note.description)}"
    return line + "".join(f"<br>\n  {fact}" for fact in fact_lines(note, writer.text))


def letter_index(
    groups: Mapping[str, Sequence[Note]], writer: Writer, target: Callable[[str], str], current: str = ""
) -> str:
    """A–Z (and 0–9, Other) links to the groups' `target`s that have notes; empty letters are shown greyed."""
    shown = []
    for group in GROUPS:
        label = LABELS[group]
        if group == current:
            shown.append(f"<strong>{label}</strong>")
        elif group in groups:
            shown.append(writer.link(target(group), label))
        elif group in string.ascii_lowercase:
            shown.append(f'<span class="kb-letter-empty">{label}</span>')
    return '<p class="kb-letters">' + " ".join(shown) + "</p>"


def tag_slugs(tags: Iterable[str], settings: Settings) -> dict[str, str]:
    """A unique, URL-safe slug per tag (`tag-1` ... for tags the slugifier leaves empty)."""
    seen: set[str] = set()
    return {
        tag: unique(settings.slugify(tag, settings.separator) or f"tag-{number}", seen)
        for number, tag in enumerate(tags, 1)
    }


def title_markdown(title: str) -> str:
    """A generated glossary page's Markdown: out of search, and its title."""
    return f"{front_matter()}# {title}\n"


def single_page(notes: Sequence[Note], settings: Settings, writer: Writer) -> dict[str, GeneratedPage]:
    writer = writer.at("glossary.md")
    letters, tags = by_initial(notes), by_tag(notes)
    slugs = tag_slugs(tags, settings)
    blocks: list[str | Heading] = [
        f"<p>{INTRO} {writer.link('#by-tag', 'By tag')}</p>",
        letter_index(letters, writer, "#{}".format),
    ]
    for group, members in letters.items():
        blocks += [Heading(2, LABELS[group], group), html_list(entry(note, writer) for note in members)]
    if tags:
        blocks.append(Heading(2, "By tag", "by-tag"))
        for tag, members in tags.items():
            listing = html_list(writer.link(note.path, writer.text(note.title)) for note in members)
            blocks += [Heading(3, tag, f"tag-{slugs[tag]}"), listing]
    return {"glossary.md": GeneratedPage(title_markdown("Glossary"), tuple(blocks))}


def split_pages(notes: Sequence[Note], settings: Settings, writer: Writer) -> dict[str, GeneratedPage]:
    letters, tags = by_initial(notes), by_tag(notes)
    slugs = tag_slugs(tags, settings)
    home = writer.at("glossary/index.md")
    blocks: list[str | Heading] = [
        f"<p>{INTRO}</p>",
        letter_index(letters, home, "glossary/{}.md".format),
    ]
    if tags:
        tag_list = html_list(
            f"{home.link(f'glossary/tag-{slugs[tag]}.md', writer.text(tag))} ({len(members)})"
            for tag, members in tags.items()
        )
        blocks += [Heading(2, "By tag", "by-tag"), tag_list]
    pages = {"glossary/index.md": GeneratedPage(title_markdown("Glossary"), tuple(blocks))}
    for group, members in letters.items():
        page = writer.at(f"glossary/{group}.md")
        letters_line = letter_index(letters, page, "glossary/{}.md".format, group)
        listing = html_list(entry(note, page) for note in members)
        pages[page.path] = GeneratedPage(title_markdown(f"Glossary: {LABELS[group]}"), (letters_line, listing))
    for tag, members in tags.items():
        page = writer.at(f"glossary/tag-{slugs[tag]}.md")
        back = f"<p>{page.link('glossary/index.md', 'All letters')}</p>"
        listing = html_list(entry(note, page) for note in members)
        pages[page.path] = GeneratedPage(title_markdown(f"Glossary: {md_text(tag)}"), (back, listing))
    return pages


def glossary_pages(notes: Sequence[Note], settings: Settings, writer: Writer) -> dict[str, GeneratedPage]:
    """Every glossary page by path; `writer` links and escapes for the site."""
    if len(notes) > settings.glossary_split_at:
        return split_pages(notes, settings, writer)
    return single_page(notes, settings, writer)
