"""Shared fixtures: small vaults written into a temporary folder."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kb.notes
import pytest
from kb.cli import main

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "notes"

MakeVault = Callable[[dict[str, str | bytes]], Path]
TODAY = datetime.date.today().isoformat()


def frontmatter(title: str) -> str:
    """A complete frontmatter block, reviewed today: for notes whose test is about something else."""
    return f"---\ntitle: {title}\ndescription: A test note.\nsources: [CMS]\nlast_reviewed: {TODAY}\n---\n"


@pytest.fixture
def make_vault(tmp_path: Path) -> MakeVault:
    """Write {relative path: text or bytes} under tmp_path/notes and return that folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        from tests.site_helpers import write_vault

        (tmp_path / "notes").mkdir(exist_ok=True)
        return write_vault(tmp_path / "notes", files)

    return make


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The path of every note parsed from here on."""
    parsed: list[str] = []
    real = kb.notes.parse_note

    def counting(path: str, *args: object, **kwargs: object) -> object:
        parsed.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kb.notes, "parse_note", counting)
    return parsed


def run_kb(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `kb` with these arguments: (exit status, standard output, standard error)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
REPOSITORY = "https://github.com/example/billing-kb"


@dataclass(frozen=True)
class Site:
    """A built site and where it is served."""

    path: Path
    url: str


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright: skipped when absent, unless KB_REQUIRE_BROWSER=1."""
    if not CHROMIUM.exists():
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} not found and KB_REQUIRE_BROWSER=1: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real notes built once with the project's mkdocs.yml (and a repository, for the edit link), served."""
    from tests.site_helpers import build_site, serve

    root = tmp_path_factory.mktemp("real-site")
    with serve(root) as url:
        build_site(NOTES, root, site_url=url, repo_url=REPOSITORY)  # instant navigation needs site_url = served URL
        yield Site(root, url)
