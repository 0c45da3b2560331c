"""Shared by the reliability tests: write a vault, run `kb check` in-process, build its site."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kb.cli import main
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.site_helpers import write_vault as write_files

KB_LOGGER = "mkdocs.plugins.kb"
# Checks of note content (schema, staleness, orphans, PHI) belong to their own tests; off here, so each
# case expects only what its broken input causes, on this branch and after others merge.
CONTENT_CHECKS = (
    "frontmatter-schema",
    "unknown-key",
    "code-format",
    "stale-note",
    "orphan-note",
    "phi",
    "source-missing",
)
MINIMAL_MKDOCS_YML = "site_name: t\ndocs_dir: notes\nsite_dir: site\nplugins:\n  - kb:\n      checks:\n" + "".join(
    f"        {code}: ignore\n" for code in CONTENT_CHECKS
)
# kb errors are MkDocs warnings (they fail --strict), kb warnings are MkDocs infos.
LOG_SEVERITY = {logging.WARNING: "error", logging.INFO: "warning"}


def write_vault(root: Path, files: Mapping[str, str | bytes], mkdocs_yml: str = MINIMAL_MKDOCS_YML) -> Path:
    """Write `files` under root/notes (str as UTF-8, bytes as they are) and a mkdocs.yml; return notes/."""
    (root / "notes").mkdir(parents=True)  # a vault with no files is a case too
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return write_files(root / "notes", files)


@dataclass(frozen=True)
class CheckRun:
    code: int
    out: str
    err: str


def kb_check(root: Path, *args: str) -> CheckRun:
    """`kb check` run in `root`, as a user would from the project folder."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args])
    return CheckRun(code, out.getvalue(), err.getvalue())


def build_site(root: Path) -> Path:
    """`mkdocs build` of root/mkdocs.yml through MkDocs' API; returns the site folder."""
    config = load_config(str(root / "mkdocs.yml"))
    build(config)
    return Path(config.site_dir)


def kb_log_lines(records: list[logging.LogRecord]) -> list[str]:
    """The kb diagnostics MkDocs logged, as `kb check` prints them (`notes/a.md:1:1: error[...]: ...`)."""
    lines = []
    for record in records:
        if record.name.startswith(KB_LOGGER) and record.levelno in LOG_SEVERITY:
            message = record.getMessage().removeprefix("kb: ")
            assert f": {LOG_SEVERITY[record.levelno]}[" in message, message
            lines.append(message)
    return lines


def file_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root` (symbolic links by their target), keyed by relative path."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            hashes[key] = "link:" + str(path.readlink())
        elif path.is_file():
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


class PageText(HTMLParser):
    """The visible text of an HTML page (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = PageText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())
