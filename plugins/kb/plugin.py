"""MkDocs event hooks for the `kb` plugin. The logic lives in the engine-free core."""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb.analysis import Analysis, analyze_vault
from kb.config import KnowledgeBaseConfig
from kb.diagnostics import format_text
from kb.notes import NoteCache, load_vault
from kb.render import Page as RenderPage
from kb.render import backlinks_markdown, render_markdown
from kb.sanitize import sanitize
from kb.sections import toc_slugify
from kb.settings import Settings, SettingsError

log = get_plugin_logger(__name__)
# kb errors fail `mkdocs build --strict`, kb warnings do not: the same verdict as `kb check`.
LOG_LEVEL = {"error": logging.WARNING, "warning": logging.INFO, "info": logging.DEBUG}


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[type-arg]
    """Obsidian wikilinks, embeds, backlinks and link checks for an MkDocs site."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.analysis: Analysis | None = None
        self.cache: NoteCache = {}  # parsed notes reused across `mkdocs serve` rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        toc = config.mdx_configs.get("toc", {})
        try:
            self.settings = Settings.from_options(
                dict(self.config), toc.get("slugify") or toc_slugify, toc.get("separator", "-")
            )
        except SettingsError as error:
            raise PluginError(f"kb: {error}") from None
        for extension in ("attr_list", "md_in_html"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        vault = load_vault(
            docs_dir, self.settings.slugify, self.settings.separator, self.cache if self.settings.cache else None
        )
        self.analysis = analysis = analyze_vault(vault, self.settings)
        shown = os.path.relpath(docs_dir, Path(config.config_file_path or ".").parent).replace(os.sep, "/")
        prefix = "" if shown == "." else shown + "/"
        for diagnostic in analysis.diagnostics:
            log.log(LOG_LEVEL[diagnostic.severity], format_text(diagnostic, prefix))
        loops = tuple(d.path.rstrip("/") + "/" for d in vault.diagnostics if d.code == "symlink-loop")
        for file in list(files):
            if loops and file.src_uri.startswith(loops):
                files.remove(file)  # reached through a folder link that loops back
        for path in {d.path for d in vault.diagnostics if d.code == "encoding"}:
            note = analysis.index.by_path[path]
            old = files.get_file_from_path(path)
            if old is not None:
                files.remove(old)
                files.append(File.generated(config, path, content=note.text))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        analysis = self.analysis
        note = analysis.index.by_path.get(page.file.src_uri) if analysis else None
        if analysis is None or note is None:
            return markdown
        if not note.meta:
            page.meta = {}  # frontmatter kb rejected (e.g. a YAML alias bomb) must not reach the theme
        # MkDocs and Material print these as HTML; in a note they are text.
        for key, value in (("title", note.title), ("description", note.description)):
            if key in page.meta:
                page.meta[key] = html.escape(value)
        if "tags" in page.meta:
            page.meta["tags"] = [html.escape(tag) for tag in note.tags]
        context = RenderPage(page.file.src_uri, analysis.index, self.settings)
        rendered = render_markdown(markdown, note, context)
        if self.settings.backlinks:
            rendered += backlinks_markdown(analysis, note, context)
        return rendered

    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.analysis is None or page.file.src_uri not in self.analysis.index.by_path:
            return content
        return sanitize(content)

    def on_post_build(self, *, config: MkDocsConfig, **kwargs: Any) -> None:
        self.analysis = None  # nothing from this build leaks into the next one
