"""`kb new`: a new note with the schema's frontmatter filled in, never over an existing file."""

from __future__ import annotations

import datetime

import frontmatter

from kb.naming import path_problem, slug
from kb.notes import Vault
from kb.resolve import fold
from kb.schema import note_keys
from kb.suggest import nearest

BODY = """# {title}

<!-- Start with a one- or two-sentence definition. Then: how it shows up on a claim, common
errors and denials, a short example, and links to related notes (see CONTRIBUTING.md). -->

## Related

"""


class ScaffoldError(Exception):
    """The note cannot be created; nothing was written. The message says what to do."""


def folder_tags(vault: Vault, folder: str) -> list[str]:
    """Tags every note already in `folder` has (the folder's topic tag), in their first note's order."""
    tag_lists = [note.tags for note in vault.notes if note.folder == folder]
    if not tag_lists:
        return []
    return [tag for tag in tag_lists[0] if all(tag in tags for tags in tag_lists[1:])]


def note_text(title: str, tags: list[str], today: datetime.date) -> str:
    """The Markdown of a new note: every key of the schema's note keys, then the title heading."""
    meta = {**note_keys(), "title": title, "tags": tags, "last_reviewed": today}
    post = frontmatter.Post(BODY.format(title=title), **meta)
    # Flow style for lists, as CONTRIBUTING.md writes them: tags: [claims, forms]
    return frontmatter.dumps(post, sort_keys=False, default_flow_style=None, width=1000) + "\n"


def new_note(vault: Vault, title: str, folder: str = "", today: datetime.date | None = None) -> str:
    """Create the note for `title` in `folder` and return its path; both relative to the notes root."""
    title = title.strip()
    if not title:
        raise ScaffoldError('the title is empty; write it in quotes: kb new "Medicare Beneficiary Identifier"')
    folder = folder.strip().strip("/")
    if folder and not (vault.root / folder).is_dir():
        existing = sorted({note.folder for note in vault.notes if note.folder})
        guess = nearest(folder, existing, cutoff=60)
        hint = f"did you mean '{guess}'?" if guess else "create the folder first to start a new topic"
        raise ScaffoldError(f"no folder '{folder}' in the notes folder; {hint}")
    name = slug(title)
    problem = path_problem(f"{folder}/{name}" if folder else name)
    if problem:
        raise ScaffoldError(f"cannot make a file name from '{title}': {problem}")
    twins = [note.path for note in vault.notes if fold(note.name) == fold(name)]
    if twins:
        raise ScaffoldError(f"a note named '{name}' already exists ({twins[0]}); open it, or choose another title")
    relative = f"{folder}/{name}.md" if folder else f"{name}.md"
    try:
        with (vault.root / relative).open("x", encoding="utf-8", newline="\n") as file:
            file.write(note_text(title, folder_tags(vault, folder), today or datetime.date.today()))
    except FileExistsError:
        raise ScaffoldError(f"{relative} already exists; kb new never overwrites a file") from None
    return relative
