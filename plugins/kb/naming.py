"""Note names: the slug of a title, and which paths a new or renamed note may not take."""

from __future__ import annotations

import re

from kb.resolve import fold
from kb.sections import toc_slugify
from kb.siteplan import INDEX_NAMES, TOP_PAGES

# Characters that mean something inside [[...]] or in a path, so a link could not name the file.
FORBIDDEN_RE = re.compile(r"[#|\[\]^:\\*\"<>?\x00-\x1f]")


def slug(title: str) -> str:
    """The file name for a title, as the site makes heading ids: 'CMS-1500 Claim Form' -> 'cms-1500-claim-form'."""
    return toc_slugify(title, "-")


def _part_problem(part: str) -> str | None:
    if part == "..":
        return "'..' would leave the notes folder"
    if not part or part == ".":
        return "a folder or file name is empty"
    if part.startswith("."):
        return f"'{part}' starts with a dot, so kb and the site would skip it as hidden"
    bad = FORBIDDEN_RE.search(part)
    return f"'{part}' contains '{bad.group()}', which cannot appear in a [[link]]" if bad else None


def path_problem(path: str) -> str | None:
    """Why a note cannot be at `path` (`folder/name`, no suffix, from the notes folder), or None."""
    *folders, name = path.split("/")
    problem = next((p for p in map(_part_problem, [*folders, name]) if p), None)
    if problem:
        return problem
    if fold(name) in INDEX_NAMES:
        return f"'{name}' would make the note its folder's own page, not a note of its own"
    if not folders and fold(name) in TOP_PAGES:
        return f"'{name}' at the top of the notes folder is reserved for the {fold(name)} page the site generates"
    return None
