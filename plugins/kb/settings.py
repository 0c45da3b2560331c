"""The `kb` options (from the `kb` plugin entry of mkdocs.yml), shared by the CLI and the plugin."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.diagnostics import DEFAULT_SEVERITY, LEVELS, Level
from kb.sections import Slugify, toc_slugify
from kb.suggest import nearest


class SettingsError(ValueError):
    """A mistake in the configuration; the message says what to change."""


# Option name -> (default, type, description); config.py declares the same for MkDocs.
OPTIONS: dict[str, tuple[Any, type, str]] = {
    "checks": ({}, dict, "severity per diagnostic code: error, warning, info or ignore"),
    "stale_after_days": (365, int, "a note whose last_reviewed is older than this is stale"),
    "link_text": ("title", str, "text of a link without a label: the target's 'title' or the link 'as-written'"),
    "backlinks": (True, bool, "append a 'Linked from' section to every note"),
    "glossary": (True, bool, "generate the A-Z glossary page (glossary.md)"),
    "glossary_split_at": (300, int, "past this many notes the glossary has one page per letter (glossary/a.md ...)"),
    "tags": (True, bool, "generate the tags index page (tags.md) for Material's tags plugin"),
    "graph": (True, bool, "generate the graph page (graph.md) and graph.json"),
    "cache": (True, bool, "reuse unchanged notes and the last result of an unchanged vault; recheck edits alone"),
}
LINK_TEXTS = ("title", "as-written")


@dataclass(frozen=True, slots=True)
class Settings:
    """Validated options; every field has the default a bare `- kb` entry gets."""

    levels: Mapping[str, Level] = field(default_factory=dict)
    stale_after_days: int = 365
    link_text: str = "title"
    backlinks: bool = True
    glossary: bool = True
    glossary_split_at: int = 300
    tags: bool = True
    graph: bool = True
    cache: bool = True
    slugify: Slugify = toc_slugify
    separator: str = "-"
    # mkdocs.yml's exclude_docs and draft_docs, gitignore-style lines: notes MkDocs does not build.
    unpublished: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        options: Mapping[str, Any],
        slugify: Slugify = toc_slugify,
        separator: str = "-",
        unpublished: tuple[str, ...] = (),
    ) -> Settings:
        """Validate the `kb` plugin options; raises SettingsError naming the bad one."""
        values: dict[str, Any] = {}
        for name, value in options.items():
            if name not in OPTIONS:
                guess = nearest(name, OPTIONS, cutoff=60)
                hint = f"; did you mean '{guess}'?" if guess else f"; known options: {', '.join(OPTIONS)}"
                raise SettingsError(f"unknown kb option '{name}'{hint}")
            expected = OPTIONS[name][1]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise SettingsError(f"kb option '{name}' must be a {expected.__name__}, not {value!r}")
            values[name] = value
        levels = values.pop("checks", {})
        for code, level in levels.items():
            if code not in DEFAULT_SEVERITY:
                guess = nearest(str(code), DEFAULT_SEVERITY, cutoff=60)
                hint = f"; did you mean '{guess}'?" if guess else ""
                raise SettingsError(f"unknown check '{code}' in kb option 'checks'{hint}")
            if level not in LEVELS:
                raise SettingsError(f"check '{code}' must be one of {', '.join(LEVELS)}, not {level!r}")
        if values.get("link_text", "title") not in LINK_TEXTS:
            raise SettingsError(f"kb option 'link_text' must be one of {', '.join(LINK_TEXTS)}")
        return cls(levels=dict(levels), slugify=slugify, separator=separator, unpublished=unpublished, **values)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!!python/name:` tags are imported, MkDocs' own tags are ignored."""


def _python_name(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    module, _, name = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise SettingsError(f"mkdocs.yml names '{suffix}', which cannot be imported: {error}") from None


def _python_apply(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    function = _python_name(loader, suffix, node)
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        return function(*value.get("args", ()), **value.get("kwds", {}))
    return function(*loader.construct_sequence(node, deep=True))  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _python_apply)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What `kb` needs from mkdocs.yml: the notes folder and the `kb` plugin options."""

    docs_dir: Path
    settings: Settings
    site_url: str = ""


def _extension_config(extensions: Any, name: str) -> Mapping[str, Any]:
    for entry in extensions or []:
        if isinstance(entry, Mapping) and name in entry:
            return entry[name] or {}
    return {}


def _unpublished(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The gitignore-style lines of `exclude_docs` and `draft_docs`, checked as MkDocs checks them."""
    lines: list[str] = []
    for key in ("exclude_docs", "draft_docs"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SettingsError(
                f"'{key}' must be gitignore-style patterns, one a line (e.g. '{key}: |' then 'drafts/')"
            )
        lines += value.splitlines()
    if lines:
        import pathspec

        try:
            pathspec.GitIgnoreSpec.from_lines(lines)
        except ValueError as error:
            raise SettingsError(f"exclude_docs or draft_docs: {error}") from None
    return tuple(lines)


def read_mkdocs_yml(path: Path) -> SiteConfig:
    """Parse mkdocs.yml; raises SettingsError with the file and line on a mistake."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SettingsError(f"{where}: invalid YAML: {error.problem}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SettingsError(f"{path}: cannot read: {error}") from None
    if not isinstance(data, Mapping):
        raise SettingsError(f"{path}: expected a mapping of settings")
    options: Mapping[str, Any] = {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, Mapping) and "kb" in entry:
            options = entry["kb"] or {}
    toc = _extension_config(data.get("markdown_extensions"), "toc")
    try:
        settings = Settings.from_options(
            options, toc.get("slugify") or toc_slugify, toc.get("separator", "-"), _unpublished(data)
        )
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None
    docs_dir = path.parent / str(data.get("docs_dir", "docs"))
    return SiteConfig(docs_dir=docs_dir, settings=settings, site_url=str(data.get("site_url") or ""))
