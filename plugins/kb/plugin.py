"""MkDocs event hooks for the `kb` plugin. The logic lives in the engine-free core."""

from __future__ import annotations

import functools
import html
import json
import logging
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown.extensions.toc import unique
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from kb import graphview
from kb.afternote import AfterNotes, Parts
from kb.analysis import Analysis, analyze_vault
from kb.cache import load_cached
from kb.collector import without_cycle_collection
from kb.config import KnowledgeBaseConfig
from kb.cpus import cpus
from kb.diagnostics import format_text
from kb.htmlpage import GeneratedPage, write_page
from kb.localgraph import local_graph_html
from kb.notepage import insert_after_title, note_facts
from kb.notes import Note
from kb.passthrough import PassThrough
from kb.render import Backlinks, RawHtml, backlinks_list, backlinks_section, heading_html, render_markdown
from kb.render import Page as RenderPage
from kb.sanitize import sanitize
from kb.sanitizer import BACKGROUND_FROM, Sanitizer
from kb.searchkeys import add_search_keys
from kb.sections import cached_slug, toc_slugify
from kb.settings import Settings, SettingsError
from kb.sitepages import generated_pages
from kb.siteplan import in_navigation, is_top_page, top_rank
from kb.urls import relative_url

log = get_plugin_logger(__name__)
# kb errors fail `mkdocs build --strict`, kb warnings do not: the same verdict as `kb check`.
LOG_LEVEL = {"error": logging.WARNING, "warning": logging.INFO, "info": logging.DEBUG}
ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/kb/site.css"
AFTER_NOTE_MARK = "<!--kb:after-note-->"  # after the author's sanitised HTML, so a note cannot forge it
BACKLINKS_TITLE = "Linked from"
ID_RE = re.compile(r'\bid="([^"]*)"')


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[type-arg]
    """Obsidian wikilinks, embeds, backlinks and link checks for an MkDocs site."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.analysis: Analysis | None = None
        self.notes_by_url: dict[str, Note] = {}
        self.graph_site: graphview.GraphSite | None = None
        self.after_note: dict[str, str] = {}  # src_uri -> the heading of its 'Linked from' section, or ''
        self.after_notes: AfterNotes | None = None  # the sections after each note, made while pages render
        self.generated: dict[str, GeneratedPage] = {}
        self.sanitizer = Sanitizer(background=False)
        self.backlinks: Backlinks | None = None  # None when the notes have no 'Linked from' section
        self.passthrough = PassThrough()
        self.site_url: Callable[[str], str] = str
        self.serving = False  # `mkdocs serve` (not `--clean`), which shows the draft_docs pages too

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps a plugin that has this method through all the rebuilds of one `mkdocs serve`;
        # `on_config` and `on_post_build` reset what one build knows.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        toc = config.mdx_configs.get("toc", {})
        # What MkDocs leaves out of this build: a draft is shown by `mkdocs serve`, so kb renders and checks it there.
        specs = (config.exclude_docs,) if self.serving else (config.exclude_docs, config.draft_docs)
        unpublished = tuple(str(pattern.pattern) for spec in specs if spec for pattern in spec.patterns)
        try:
            self.settings = Settings.from_options(
                dict(self.config), toc.get("slugify") or toc_slugify, toc.get("separator", "-"), unpublished
            )
        except SettingsError as error:
            raise PluginError(f"kb: {error}") from None
        for extension in ("attr_list", "md_in_html", "abbr"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self.passthrough = PassThrough()  # a new mark for each build
        config.markdown_extensions.append(self.passthrough)
        config.extra_css.append(STYLESHEET)
        # Material's repository widget asks the host's API for stars and forks; ours is a plain link.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(ASSETS / "templates"))
        if not config.repo_url:
            config.edit_uri = None  # an edit link needs the repository: without it MkDocs warns on every page
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        # Parsed notes are kept on disk, for the next build or `mkdocs serve` rebuild.
        project = Path(config.config_file_path or "mkdocs.yml").parent
        settings = self.settings
        with without_cycle_collection():
            vault = load_cached(
                docs_dir, project, settings.slugify, settings.separator, settings.cache, None, settings.unpublished
            )
            self.analysis = analysis = analyze_vault(vault, self.settings)
        self.backlinks = Backlinks(analysis, self.settings) if self.settings.backlinks else None
        self._stop_workers()
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
        self.site_url = site_url(config)
        self.generated = generated_pages(
            analysis, self.settings, self.site_url, with_tags, config.site_name, config.site_description or ""
        )
        for path, generated in self.generated.items():
            files.append(File.generated(config, path, content=generated.markdown))
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "site.css")))
        self.graph_site = self._add_graph_page(files, config) if "graph" in analysis.site.top else None
        files = Files(sorted(files, key=file_sort_key))  # generated index pages first in their folder
        background = len(vault.notes) >= BACKGROUND_FROM and cpus() > 1
        paths = [file.src_uri for file in files.documentation_pages() if file.src_uri in analysis.index.by_path]
        after = self.backlinks is not None or self.graph_site is not None  # else nothing follows a note
        self.after_notes = AfterNotes(functools.partial(self._after_note, files), paths, background and after)
        # started after that worker is forked, so that it holds no end of the sanitizer's pipes
        self.sanitizer = Sanitizer(background)
        return files

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
            urls, here = self.site_url, page.file.url

            def url(path: str) -> str:
                return relative_url(urls(path), here)

            raw = RawHtml(url, self.passthrough.wrap, analysis.abbreviations, note.abbr)
            context = RenderPage(page.file.src_uri, analysis.index, self.settings, raw)
            markdown = insert_after_title(render_markdown(markdown, note, context), note_facts(note, raw))
        return markdown + analysis.abbreviations.definitions(markdown, note.abbr if note else None)

    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        analysis = self.analysis
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            content = sanitize(content)  # its title or tag names may hold an acronym, explained in a tooltip
            taken = set(ID_RE.findall(content))
            body, headings = write_page(generated.blocks, taken, config.mdx_configs.get("toc", {}))
            for heading in headings:
                add_to_toc(page.toc, AnchorLink(html.escape(heading.text), heading.slug, heading.level))
            return f"{content}\n{body}" if body else content
        note = analysis.index.by_path.get(page.file.src_uri) if analysis else None
        if analysis is None or note is None:
            return content
        self.sanitizer.submit(page.file.src_uri, content)  # what the note's author wrote; kb's sections come after
        linked = self.backlinks is not None and self.backlinks.linked_from(note)
        self.after_note[page.file.src_uri] = self._backlinks_heading(content, page, config) if linked else ""
        return content

    @event_priority(100)  # before any other plugin reads the page: the search plugin indexes it
    def on_page_context(self, context: TemplateContext, /, *, page: Page, **kwargs: Any) -> None:
        if page.file.src_uri in self.after_note and page.content is not None:
            page.content = self.sanitizer.take(page.file.src_uri, page.content) + AFTER_NOTE_MARK

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # Backlinks and the local graph go in after the search plugin has read the page: they are not
        # indexed on this page, and Markdown and the search plugin's HTML parser need not read them.
        analysis, after_notes = self.analysis, self.after_notes
        note = analysis.index.by_path.get(page.file.src_uri) if analysis else None
        if note is None or after_notes is None or AFTER_NOTE_MARK not in output:
            return output
        heading = self.after_note.pop(page.file.src_uri, "")
        entries, graph = after_notes.take(page.file.src_uri)
        return output.replace(AFTER_NOTE_MARK, (backlinks_section(heading, entries) if heading else "") + graph, 1)

    def _backlinks_heading(self, content: str, page: Page, config: MkDocsConfig) -> str:
        """The heading of the 'Linked from' section of a note's page, also listed in the page's table of contents."""
        slug = cached_slug(self.settings.slugify, BACKLINKS_TITLE, self.settings.separator)
        slug = unique(slug, set(ID_RE.findall(content)))  # as toc makes a heading's id unique on its page
        add_to_toc(page.toc, AnchorLink(BACKLINKS_TITLE, slug, 2))
        return heading_html(BACKLINKS_TITLE, slug, config.mdx_configs.get("toc", {}))

    def _after_note(self, files: Files, path: str) -> Parts:
        """The 'Linked from' list and the local graph of the page of the note at `path` (`kb.afternote`)."""
        analysis, backlinks = self.analysis, self.backlinks
        assert analysis is not None
        note = analysis.index.by_path[path]
        here = files.get_file_from_path(path)
        assert here is not None, "asked only for the notes' pages"

        def url(target_path: str) -> str:
            target = files.get_file_from_path(target_path)
            return relative_url(target.url, here.url) if target else ""

        entries = backlinks.entries(note) if backlinks is not None else []
        listed = backlinks_list(entries, url, analysis.abbreviations, note.abbr) if entries else ""  # escaped
        site = self.graph_site
        return listed, local_graph_html(analysis.graph, note.id, site, here.url) if site is not None else ""

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig, **kwargs: Any) -> None:
        index_file = Path(config.site_dir) / "search" / "search_index.json"
        if self.notes_by_url and index_file.is_file():
            index = add_search_keys(json.loads(index_file.read_text(encoding="utf-8")), self.notes_by_url)
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        self.analysis = self.graph_site = self.backlinks = None  # nothing from this build leaks into the next one
        self._stop_workers()
        self.after_note = {}
        self.notes_by_url = {}
        self.generated = {}

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()  # a failed build leaves no worker behind

    def _stop_workers(self) -> None:
        self.sanitizer.close()
        if self.after_notes is not None:
            self.after_notes.close()
        self.after_notes = None

    def _add_graph_page(self, files: Files, config: MkDocsConfig) -> graphview.GraphSite | None:
        """Register the graph page, its scripts and graph.json."""
        if self.analysis is None:
            return None
        page = File.generated(config, graphview.GRAPH_PAGE, content="")
        page.content_string = graphview.graph_page_markdown(page.url)
        shown = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        urls = {file.src_uri: file.url for file in files.documentation_pages(inclusion=shown)}
        files.append(page)
        data = graphview.graph_json(self.analysis.graph, urls)
        files.append(File.generated(config, graphview.GRAPH_JSON, content=data))
        for asset in graphview.GRAPH_ASSETS:
            path = str(graphview.ASSET_DIR / asset)
            files.append(File.generated(config, f"{graphview.SITE_ASSET_DIR}/{asset}", abs_src_path=path))
        return graphview.GraphSite(urls, graphview.tag_colours(self.analysis.graph), page.url)


def site_url(config: MkDocsConfig) -> Callable[[str], str]:
    """The URL from the site root of the page at a source path, as MkDocs gives it (generated pages too)."""

    @functools.cache
    def url(path: str) -> str:
        return File(path, None, config.site_dir, config.use_directory_urls).url

    return url


def escape_meta(page: Page) -> None:
    """Escape the frontmatter values Material's templates print unescaped (title, description, tags)."""
    meta = page.meta
    for key in ("title", "description"):
        if isinstance(meta.get(key), str | int | float):
            meta[key] = html.escape(str(meta[key]))
    if isinstance(meta.get("tags"), list):
        meta["tags"] = [html.escape(str(tag)) for tag in meta["tags"] if isinstance(tag, str | int | float)]


def add_to_toc(toc: TableOfContents, entry: AnchorLink) -> None:
    """Add `entry` at the end of `toc`, nested under the last heading of a lower level, as Python-Markdown nests."""
    items = toc.items
    while items and items[-1].level < entry.level:
        items = items[-1].children
    items.append(entry)
