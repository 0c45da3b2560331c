"""MkDocs event hooks for the `kb` plugin. The logic lives in the engine-free core."""

from __future__ import annotations

import html
import json
import logging
import math
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from kb import graphview
from kb.analysis import Analysis, analyze_vault
from kb.cache import load_cached
from kb.collector import without_cycle_collection
from kb.config import KnowledgeBaseConfig
from kb.diagnostics import format_text
from kb.localgraph import local_graph_html
from kb.notepage import insert_after_title, note_facts
from kb.notes import Note
from kb.render import Page as RenderPage
from kb.render import backlinks_markdown, render_markdown
from kb.sanitize import sanitize
from kb.searchkeys import add_search_keys
from kb.sections import toc_slugify
from kb.settings import Settings, SettingsError
from kb.sitepages import generated_pages
from kb.siteplan import in_navigation, is_top_page, top_rank

log = get_plugin_logger(__name__)
# kb errors fail `mkdocs build --strict`, kb warnings do not: the same verdict as `kb check`.
LOG_LEVEL = {"error": logging.WARNING, "warning": logging.INFO, "info": logging.DEBUG}
ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/kb/site.css"
LOCAL_GRAPH_MARK = "<!--kb:local-graph-->"  # after the author's sanitised HTML, so a note cannot forge it


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[type-arg]
    """Obsidian wikilinks, embeds, backlinks and link checks for an MkDocs site."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.analysis: Analysis | None = None
        self.notes_by_url: dict[str, Note] = {}
        self.graph_site: graphview.GraphSite | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        toc = config.mdx_configs.get("toc", {})
        try:
            self.settings = Settings.from_options(
                dict(self.config), toc.get("slugify") or toc_slugify, toc.get("separator", "-")
            )
        except SettingsError as error:
            raise PluginError(f"kb: {error}") from None
        for extension in ("attr_list", "md_in_html", "abbr"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.append(STYLESHEET)
        # Material's repository widget asks the host's API for stars and forks; ours is a plain link.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(ASSETS / "templates"))
        if not config.repo_url:
            config.edit_uri = None  # an edit link needs the repository: without it MkDocs warns on every page
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        # `mkdocs serve` makes a new plugin for every rebuild: parsed notes outlive it on disk.
        project = Path(config.config_file_path or "mkdocs.yml").parent
        settings = self.settings
        with without_cycle_collection():
            vault = load_cached(docs_dir, project, settings.slugify, settings.separator, settings.cache)
            self.analysis = analysis = analyze_vault(vault, self.settings)
        self.notes_by_url = {}
        shown = os.path.relpath(docs_dir, project).replace(os.sep, "/")
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
        with_tags = any(name in config.plugins for name in ("tags", "material/tags"))
        for path, markdown in generated_pages(
            analysis, self.settings, with_tags, config.site_name, config.site_description or ""
        ).items():
            files.append(File.generated(config, path, content=markdown))
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "site.css")))
        self.graph_site = self._add_graph_page(files, config) if "graph" in analysis.site.top else None
        return Files(sorted(files, key=file_sort_key))  # generated index pages first in their folder

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # List folders (their index pages), never single notes, so every page's navigation stays small;
        # notes keep their parent section, so the breadcrumb and the active folder still show where they are.
        def prune(items: list[Any]) -> list[Any]:
            kept = []
            for item in items:
                if isinstance(item, Section):
                    item.title = html.escape(item.title)  # a folder name is user-written too
                    item.children = prune(item.children)
                    index = item.children[0] if len(item.children) == 1 else None
                    if isinstance(index, Page) and is_top_page(index.file.src_uri):
                        index.parent = None  # a split glossary shows as one link, as the unsplit one does
                        item = index
                    kept.append(item)
                elif not isinstance(item, Page) or in_navigation(item.file.src_uri):
                    kept.append(item)
            return kept

        top = prune(nav.items)
        nav.items = sorted(top, key=lambda item: top_rank(item.file.src_uri) if isinstance(item, Page) else math.inf)
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        escape_meta(page)
        analysis = self.analysis
        if analysis is None:
            return markdown
        note = analysis.index.by_path.get(page.file.src_uri)
        if note is not None:
            if not note.meta:
                page.meta = {}  # frontmatter kb rejected (e.g. a YAML alias bomb) must not reach the theme
            self.notes_by_url[page.url] = note
            context = RenderPage(page.file.src_uri, analysis.index, self.settings)
            markdown = insert_after_title(render_markdown(markdown, note, context), note_facts(note))
            if self.settings.backlinks:
                markdown += backlinks_markdown(analysis, note, context)
        return markdown + analysis.abbreviations.definitions(markdown, note.abbr if note else None)

    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        analysis = self.analysis
        note = analysis.index.by_path.get(page.file.src_uri) if analysis else None
        if analysis is None or note is None:
            return content
        content = sanitize(content)  # what the note's author wrote; kb's own SVG comes after
        return content + LOCAL_GRAPH_MARK if self.graph_site else content

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # The local graph goes in after the search plugin has read the page: its SVG would cost the
        # search plugin's HTML parser more than the note itself, and fill the index with other notes' titles.
        analysis, site = self.analysis, self.graph_site
        note = analysis.index.by_path.get(page.file.src_uri) if analysis else None
        if analysis is None or note is None or site is None or LOCAL_GRAPH_MARK not in output:
            return output
        return output.replace(LOCAL_GRAPH_MARK, local_graph_html(analysis.graph, note.id, site, page.file.url), 1)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig, **kwargs: Any) -> None:
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if self.notes_by_url and index_file.is_file():
            index = add_search_keys(json.loads(index_file.read_text(encoding="utf-8")), self.notes_by_url)
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.analysis = self.graph_site = None  # nothing from this build leaks into the next one
        self.notes_by_url = {}

    def _add_graph_page(self, files: Files, config: MkDocsConfig) -> graphview.GraphSite | None:
        """Register the graph page, its scripts and graph.json."""
        if self.analysis is None:
            return None
        page = File.generated(config, graphview.GRAPH_PAGE, content="")
        page.content_string = graphview.graph_page_markdown(page.url)
        urls = {file.src_uri: file.url for file in files.documentation_pages()}
        files.append(page)
        data = graphview.graph_json(self.analysis.graph, urls)
        files.append(File.generated(config, graphview.GRAPH_JSON, content=data))
        for asset in graphview.GRAPH_ASSETS:
            path = str(graphview.ASSET_DIR / asset)
            files.append(File.generated(config, f"{graphview.SITE_ASSET_DIR}/{asset}", abs_src_path=path))
        return graphview.GraphSite(urls, graphview.tag_colours(self.analysis.graph), page.url)


def escape_meta(page: Page) -> None:
    """Escape the frontmatter values Material's templates print unescaped (title, description, tags)."""
    meta = page.meta
    for key in ("title", "description"):
        if isinstance(meta.get(key), str | int | float):
            meta[key] = html.escape(str(meta[key]))
    if isinstance(meta.get("tags"), list):
        meta["tags"] = [html.escape(str(tag)) for tag in meta["tags"] if isinstance(tag, str | int | float)]
