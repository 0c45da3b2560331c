"""Shared fixtures: small vaults written into a temporary folder."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path

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
        root = tmp_path / "notes"
        root.mkdir(exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def run_kb(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `kb` with these arguments: (exit status, standard output, standard error)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
