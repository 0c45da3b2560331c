"""Helpers for the site tests: notes from text, a vault on disk, a site built with the project's mkdocs.yml."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from kb.analysis import Analysis, analyze_vault
from kb.htmlpage import GeneratedPage, Writer, write_page
from kb.notes import Note, Vault, parse_note
from kb.settings import Settings
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "notes"


def note(path: str, title: str = "", body: str = "", **meta: object) -> Note:
    """A parsed note; frontmatter from keyword arguments (lists and mappings written as YAML flow)."""
    lines = [f"title: {title!r}"] if title else []
    for key, value in meta.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k!r}: {v!r}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {value!r}")
    text = ("---\n" + "\n".join(lines) + "\n---\n" if lines else "") + body
    return parse_note(path, text.encode())[0]


def analysis_of(notes: list[Note], settings: Settings | None = None) -> Analysis:
    return analyze_vault(Vault(Path("notes"), tuple(notes), (), ()), settings or Settings())


def site_url(path: str) -> str:
    """The URL MkDocs gives the page at source `path` (directory URLs)."""
    return File(path, None, "", True).url


def writer_for(analysis: Analysis) -> Writer:
    return Writer("", site_url, analysis.abbreviations)


def page_text(page: GeneratedPage) -> str:
    """A generated page's Markdown, then its HTML as the site writes it (no permalinks)."""
    return page.markdown + write_page(page.blocks, set(), {})[0]


def write_vault(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write {relative path: text (as UTF-8) or bytes} under `root` and return it."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def build_site(docs_dir: Path, site_dir: Path, **overrides: object) -> Path:
    """Build `docs_dir` with the project's mkdocs.yml (plugins, theme, extensions) into `site_dir`.

    The build reads a copy of mkdocs.yml beside `site_dir`, so kb's `.kb-cache/` (kept next to
    mkdocs.yml) goes there too and not into the repository, where every run would add files."""
    home = site_dir.parent / "project"
    home.mkdir(parents=True, exist_ok=True)
    (home / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    config = load_config(
        config_file=str(home / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir), **overrides
    )
    build(config)
    return site_dir


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 from a thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()
