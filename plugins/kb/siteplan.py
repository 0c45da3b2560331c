"""Which pages the site generates besides the notes, and the notes whose names get in their way."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import Vault
from kb.resolve import fold, strip_markdown_suffix
from kb.settings import Settings

TOP_PAGES = ("glossary", "tags", "graph")  # generated at the top of the site when their option is on
INDEX_NAMES = ("index", "readme")  # MkDocs makes either the page of its folder


@dataclass(frozen=True, slots=True)
class SitePlan:
    """`top`: generated top-level pages no note displaces; `folders`: folders ('' is the root) given an index."""

    top: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()
    problems: tuple[Diagnostic, ...] = ()


def url_key(path: str) -> str:
    """What decides a page's URL: its path without suffix, `x/index` meaning `x`; case folded."""
    stem = strip_markdown_suffix(path)
    return fold(stem.rpartition("/")[0] if is_index(path) else stem)


def is_index(path: str) -> bool:
    return fold(strip_markdown_suffix(path).rpartition("/")[2]) in INDEX_NAMES


def is_top_page(path: str) -> bool:
    """`glossary.md`, `glossary/index.md`, `tags.md` ...: a page the site generates at its top."""
    return url_key(path) in TOP_PAGES


def top_rank(path: str) -> int:
    """Order of the navigation's top pages: home, then glossary, tags, graph (split or not), then the rest."""
    key = url_key(path)
    return 0 if not key else 1 + TOP_PAGES.index(key) if key in TOP_PAGES else 1 + len(TOP_PAGES)


def in_navigation(path: str) -> bool:
    """The navigation lists folders (their index pages) and the top pages, never single notes: its size stays flat."""
    return is_index(path) or is_top_page(path)


def note_folders(paths: Iterable[str]) -> list[str]:
    """Every folder holding a note, directly or below, with the root as ''; sorted."""
    folders = {""}
    for path in paths:
        folder = posixpath.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(folders)


def plan_site(vault: Vault, settings: Settings) -> SitePlan:
    """Generated pages, skipping (with a `reserved-name` error) any whose URL a note already has."""
    paths = [note.path for note in vault.notes]
    problems = []
    top = set()
    for name in (name for name in TOP_PAGES if getattr(settings, name)):
        clash = next((p for p in paths if fold(strip_markdown_suffix(p).split("/")[0]) == name), None)
        if clash is None:
            top.add(name)
            continue
        what = f"'{clash}'" if "/" not in clash else f"folder '{clash.split('/')[0]}/'"
        problems.append(
            diag.make(
                "reserved-name",
                clash,
                1,
                1,
                f"{what} has the name of the {name} page the site generates; the site shows the note, not the {name}",
                f"rename it: '{name}' at the top of the notes folder is reserved",
            )
        )
    indexed = {url_key(path) for path in paths if is_index(path)}
    by_key: dict[str, str] = {}
    for path in paths:
        by_key.setdefault(url_key(path), path)
    folders = []
    for folder in note_folders(paths):
        if fold(folder) in indexed:
            continue
        owner = by_key.get(fold(folder))
        if owner is None:
            folders.append(folder)
        else:
            problems.append(
                diag.make(
                    "reserved-name",
                    owner,
                    1,
                    1,
                    f"'{owner}' has the URL of the index page generated for folder '{folder}/';"
                    " the folder gets no index page",
                    f"rename the note, or move it to '{folder}/index.md' to make it the folder's page",
                )
            )
    return SitePlan(frozenset(top), tuple(folders), tuple(problems))
