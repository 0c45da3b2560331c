"""Note names: the slug of a title, and which names a new or renamed note may not take."""

from __future__ import annotations

import re

from kb.sections import toc_slugify

# Names of pages the site generates (CONTRIBUTING.md, "File and folder").
RESERVED_NAMES = frozenset({"index", "glossary", "graph", "tags"})
# Characters that mean something inside [[...]] or in a path, so a link could not name the file.
FORBIDDEN_RE = re.compile(r"[#|\[\]^:\\*\"<>?\x00-\x1f]")


def slug(title: str) -> str:
    """The file name for a title, as the site makes heading ids: 'CMS-1500 Claim Form' -> 'cms-1500-claim-form'."""
    return toc_slugify(title, "-")


def name_problem(name: str, folder: bool = False) -> str | None:
    """Why `name` (a file name without suffix, or a `folder` name) cannot be used for a note, or None."""
    if name == "..":
        return "'..' would leave the notes folder"
    if not name or name == ".":
        return "a folder or file name is empty"
    if name.startswith("."):
        return f"'{name}' starts with a dot, so kb and the site would skip it as hidden"
    if not folder and name.lower() in RESERVED_NAMES:
        return f"'{name}' is reserved for a page the site generates ({', '.join(sorted(RESERVED_NAMES))})"
    bad = FORBIDDEN_RE.search(name)
    if bad:
        return f"'{name}' contains '{bad.group()}', which cannot appear in a [[link]]"
    return None


def path_problem(path: str) -> str | None:
    """Why `path` (`folder/name`, without suffix, from the notes folder) cannot be a note's, or None."""
    *folders, name = path.split("/")
    return next((p for p in (name_problem(f, folder=True) for f in folders) if p), None) or name_problem(name)
