"""The pages the site generates: folder index pages, the glossary and the tags index."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence

from kb.analysis import Analysis
from kb.glossary import front_matter, glossary_pages, sort_key
from kb.htmlpage import GeneratedPage, Heading, Writer
from kb.notes import Note
from kb.render import html_list, md_text
from kb.sections import cached_slug
from kb.settings import Settings
from kb.siteplan import is_index

HOME_LINKS = (("Glossary", "glossary.md"), ("Glossary", "glossary/index.md"), ("Tags", "tags.md"))
TAGS_PAGE = (
    f"{front_matter()}# Tags\n\nEvery tag used in the notes, with the notes that carry it.\n\n<!-- material/tags -->\n"
)


def folder_title(folder: str) -> str:
    """A folder's title as MkDocs derives it for the navigation: 'code-sets' -> 'Code sets'."""
    title = posixpath.basename(folder).replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def count(n: int) -> str:
    return f"{n} note{'' if n == 1 else 's'}"


def folder_page(
    notes: Sequence[Note],
    subfolders: Sequence[tuple[str, int, bool]],
    writer: Writer,
    settings: Settings,
    title: str,
    intro: str = "",
) -> GeneratedPage:
    """An index page listing a folder's notes (title and description) and its subfolders (name, notes, linked).

    `intro` is HTML.
    """
    markdown = f"{front_matter('Home' if writer.path == 'index.md' else '')}# {md_text(title)}\n"
    blocks: list[str | Heading] = [intro] if intro else []

    def section(heading: str, listing: list[str]) -> list[str | Heading]:
        return [Heading(2, heading, cached_slug(settings.slugify, heading, settings.separator)), html_list(listing)]

    if subfolders:
        listing = []
        for sub, total, linked in subfolders:
            name = writer.text(folder_title(sub))
            listing.append(f"{writer.link(f'{sub}/index.md', name)} ({count(total)})" if linked else name)
        blocks += section("Topics", listing)
    if notes:
        listing = []
        for note in sorted(notes, key=sort_key):
            line = writer.link(note.path, writer.text(note.title))
            listing.append(f"{line} — {writer.text(note.description)}" if note.description else line)
        blocks += section("Notes", listing)
    return GeneratedPage(markdown, tuple(blocks))


def notes_below(notes: Sequence[Note]) -> dict[str, int]:
    """How many notes each folder holds, its subfolders included ('' is the root)."""
    below: dict[str, int] = {}
    for note in notes:
        folder = note.folder
        while True:
            below[folder] = below.get(folder, 0) + 1
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return below


def generated_pages(
    analysis: Analysis,
    settings: Settings,
    site_url: Callable[[str], str],
    with_tags: bool,
    site_name: str,
    site_description: str = "",
) -> dict[str, GeneratedPage]:
    """Every generated page by path, as planned in `analysis.site` (never a note's path).

    `site_url` gives the URL, from the site root, of the page at a source path (generated ones included).
    """
    plan = analysis.site
    notes = [note for note in analysis.vault.notes if not is_index(note.path)]
    writer = Writer("", site_url, analysis.abbreviations)
    pages: dict[str, GeneratedPage] = {}
    if "glossary" in plan.top:
        pages.update(glossary_pages(notes, settings, writer))
    if "tags" in plan.top and with_tags:
        pages["tags.md"] = GeneratedPage(TAGS_PAGE)
    by_folder: dict[str, list[Note]] = {}
    for note in notes:
        by_folder.setdefault(note.folder, []).append(note)
    below = notes_below(notes)
    linked = {posixpath.dirname(note.path) for note in analysis.vault.notes if is_index(note.path)} | set(plan.folders)
    home = writer.at("index.md")
    links = [home.link(path, title) for title, path in HOME_LINKS if path in pages]
    see_also = "See also: " + " · ".join(links) if links else ""
    intro = "\n".join(f"<p>{part}</p>" for part in (writer.text(site_description), see_also) if part)
    children: dict[str, list[str]] = {}
    for sub in sorted(below):
        if sub:
            children.setdefault(posixpath.dirname(sub), []).append(sub)
    for folder in plan.folders:
        path = f"{folder}/index.md" if folder else "index.md"
        subfolders = [(sub, below[sub], sub in linked) for sub in children.get(folder, [])]
        title = folder_title(folder) if folder else site_name
        page = writer.at(path)
        pages[path] = folder_page(by_folder.get(folder, []), subfolders, page, settings, title, "" if folder else intro)
    return pages
