"""List the files of a notes folder with their modification time and size, without reading them.

Only the files MkDocs publishes are listed, unless every file is asked for: what MkDocs leaves out of
the site cannot be linked to.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file under the notes root: `path` relative to it (`coding/cpt.md`), and its (mtime_ns, size)."""

    path: str
    stamp: tuple[int, int]


def walk(root: Path) -> tuple[list[FileEntry], list[Diagnostic]]:
    """All files under `root` in name order, skipping hidden ones and symlink loops."""
    found: list[FileEntry] = []
    problems: list[Diagnostic] = []
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path, rel: str) -> None:
        stat = folder.stat()
        if (stat.st_dev, stat.st_ino) in seen:
            problems.append(
                diag.make(
                    "symlink-loop",
                    rel or ".",
                    1,
                    1,
                    "folder link leads back to a folder already read; skipped",
                    "remove the symbolic link or point it outside the notes folder",
                )
            )
            return
        seen.add((stat.st_dev, stat.st_ino))
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                child = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    if entry.is_dir():
                        visit(Path(entry.path), child)
                    elif entry.is_file():
                        info = entry.stat()
                        found.append(FileEntry(child, (info.st_mtime_ns, info.st_size)))
                except OSError as error:
                    problems.append(diag.make("unreadable", child, 1, 1, f"cannot read: {error.strerror}"))

    visit(root, "")
    return found, problems


def listing(root: Path, unpublished: Sequence[str] | None = ()) -> tuple[list[FileEntry], list[Diagnostic]]:
    """`walk`, without the files MkDocs leaves out of the site (see `published`), with a `name-clash`
    at each file another file's path differs from only in case or normalisation (published or not:
    a checkout on macOS or Windows loses one of the two)."""
    entries, problems = walk(root)
    shown = published(unpublished)
    return [entry for entry in entries if shown(entry.path)], problems + name_clashes([e.path for e in entries])


# MkDocs leaves these out of every site, whatever mkdocs.yml says: hidden files and folders (which
# `walk` skips) and the `templates/` folder at the top of the docs folder.
MKDOCS_EXCLUDED_FOLDER = "templates/"


def published(unpublished: Sequence[str] | None) -> Callable[[str], bool]:
    """Whether MkDocs builds the file at a path of the docs folder; `unpublished`: the gitignore-style
    lines of mkdocs.yml's `exclude_docs` and `draft_docs` (drafts are left out of `mkdocs build`),
    or None for every file, published or not."""
    if unpublished is None:
        return lambda path: True
    if not unpublished:
        return lambda path: not path.startswith(MKDOCS_EXCLUDED_FOLDER)
    import pathspec  # only for a project that excludes files

    spec = pathspec.GitIgnoreSpec.from_lines(unpublished)
    return lambda path: not path.startswith(MKDOCS_EXCLUDED_FOLDER) and not spec.match_file(path)


def unpublished_files(root: Path, unpublished: Sequence[str]) -> list[str]:
    """The files under `root` MkDocs leaves out of the site (see `published`); the folder is walked
    only if mkdocs.yml excludes files or MkDocs' own excluded folder is there."""
    if not unpublished and not (root / MKDOCS_EXCLUDED_FOLDER).is_dir():
        return []
    shown = published(unpublished)
    return [entry.path for entry in walk(root)[0] if not shown(entry.path)]


def name_clashes(paths: list[str]) -> list[Diagnostic]:
    """Files whose paths are equal once case and Unicode normalisation are ignored."""
    first: dict[str, str] = {}
    problems = []
    for path in paths:
        nfc = unicodedata.normalize("NFC", path)
        other = first.setdefault(nfc.casefold(), path)
        if other == path:
            continue
        if nfc == unicodedata.normalize("NFC", other):
            how, where = "Unicode normalisation (one is NFC, the other NFD)", "macOS"
        else:
            how, where = "letter case", "macOS and Windows"
        message = f"'{path}' and '{other}' differ only in {how}; {where} cannot keep both files"
        problems.append(diag.make("name-clash", path, 1, 1, message, "rename or merge one of them"))
    return problems
