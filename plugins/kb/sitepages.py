"""The Markdown of the pages the site generates: folder index pages, the glossary and the tags index."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from kb.analysis import Analysis
from kb.glossary import front_matter, glossary_pages, sort_key
from kb.notes import Note
from kb.render import Page, md_text
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
    notes: Sequence[Note], subfolders: Sequence[tuple[str, int, bool]], page: Page, title: str, intro: str = ""
) -> str:
    """An index page listing a folder's notes (title and description) and its subfolders (name, notes, linked)."""
    parts = [f"{front_matter('Home' if page.path == 'index.md' else '')}# {md_text(title)}"]
    if intro:
        parts.append(intro)
    if subfolders:
        items = []
        for sub, total, linked in subfolders:
            name = md_text(folder_title(sub))
            items.append(f"- [{name}]({page.url(f'{sub}/index.md')}) ({count(total)})" if linked else f"- {name}")
        parts.append("## Topics\n\n" + "\n".join(items))
    if notes:
        items = []
        for note in sorted(notes, key=sort_key):
            line = f"- [{md_text(note.title)}]({page.url(note.path)})"
            items.append(f"{line} — {md_text(note.description)}" if note.description else line)
        parts.append("## Notes\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


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
    analysis: Analysis, settings: Settings, with_tags: bool, site_name: str, site_description: str = ""
) -> dict[str, str]:
    """Markdown of every generated page by path, as planned in `analysis.site` (never a note's path)."""
    plan = analysis.site
    notes = [note for note in analysis.vault.notes if not is_index(note.path)]
    pages: dict[str, str] = {}
    if "glossary" in plan.top:
        pages.update(glossary_pages(notes, analysis.index, settings))
    if "tags" in plan.top and with_tags:
        pages["tags.md"] = TAGS_PAGE
    by_folder: dict[str, list[Note]] = {}
    for note in notes:
        by_folder.setdefault(note.folder, []).append(note)
    below = notes_below(notes)
    linked = {posixpath.dirname(note.path) for note in analysis.vault.notes if is_index(note.path)} | set(plan.folders)
    links = [f"[{title}]({path})" for title, path in HOME_LINKS if path in pages]
    see_also = "See also: " + " · ".join(links) if links else ""
    children: dict[str, list[str]] = {}
    for sub in sorted(below):
        if sub:
            children.setdefault(posixpath.dirname(sub), []).append(sub)
    for folder in plan.folders:
        path = f"{folder}/index.md" if folder else "index.md"
        subfolders = [(sub, below[sub], sub in linked) for sub in children.get(folder, [])]
        intro = "\n\n".join(filter(None, (md_text(site_description), see_also))) if not folder else ""
        page = Page(path, analysis.index, settings)
        title = folder_title(folder) if folder else site_name
        pages[path] = folder_page(by_folder.get(folder, []), subfolders, page, title, intro)
    return pages
