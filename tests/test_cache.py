"""The on-disk note cache: unchanged notes are not parsed again, by `kb check` or by MkDocs rebuilds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import kb.notes
import pytest
from kb.cache import CACHE_DIR, RACY_NS, cache_path, fingerprint
from kb.cli import main
from mkdocs.commands.build import build
from mkdocs.config import load_config

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

NOTES = {
    "alpha.md": "---\ntitle: Alpha\n---\n# Alpha\n\nSee [[beta#Details]] and [[gamma]].\n",
    "topic/beta.md": "---\ntitle: Beta\n---\n# Beta\n\n## Details\n\nBack to [[alpha]]. ^key\n",
    "topic/gamma.md": "---\ntitle: Gamma\n---\n# Gamma\n\n![[beta#Details]] and [[missing-note]].\n",
}
SETTLED = time.time() - 3600  # notes last edited an hour ago, well past the racy window


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder: a project with notes/ whose files were last modified an hour ago."""
    monkeypatch.chdir(tmp_path)
    for rel, text in NOTES.items():
        path = tmp_path / "notes" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (SETTLED, SETTLED))
    return tmp_path


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


def check(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["check", str(project / "notes"), "--format", "json", *extra]) == 1
    return capsys.readouterr().out


def test_unchanged_vault_is_not_parsed_again(vault: Path, parses: list[str], capsys: pytest.CaptureFixture) -> None:
    first = check(vault, capsys)
    assert sorted(parses) == sorted(NOTES)
    parses.clear()
    assert check(vault, capsys) == first
    assert parses == []
    assert cache_path(vault, vault / "notes").is_file()
    assert not any(path.name.startswith((".tmp", "notes-")) for path in (vault / "notes").rglob("*"))


def test_only_changed_and_new_notes_are_parsed(vault: Path, parses: list[str], capsys: pytest.CaptureFixture) -> None:
    check(vault, capsys)
    parses.clear()
    beta = vault / "notes/topic/beta.md"
    beta.write_text(beta.read_text() + "More.\n", encoding="utf-8")
    (vault / "notes/delta.md").write_text("# Delta\n\n[[alpha]]\n", encoding="utf-8")
    (vault / "notes/topic/gamma.md").unlink()
    output = check(vault, capsys)
    assert sorted(parses) == ["delta.md", "topic/beta.md"]
    assert "missing-note" not in output  # gamma's broken link went with gamma


def test_a_note_edited_just_now_is_parsed_again(vault: Path, parses: list[str], capsys: pytest.CaptureFixture) -> None:
    alpha = vault / "notes/alpha.md"
    alpha.write_text(NOTES["alpha.md"].replace("gamma", "GAMMA"), encoding="utf-8")  # same size, current time
    check(vault, capsys)
    alpha.write_text(NOTES["alpha.md"], encoding="utf-8")
    stat = alpha.stat()
    assert time.time_ns() - stat.st_mtime_ns < RACY_NS
    parses.clear()
    output = check(vault, capsys)
    assert parses == ["alpha.md"]
    assert "case-mismatch" not in output


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80\x05\x95"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(
    vault: Path, parses: list[str], capsys: pytest.CaptureFixture, content: bytes
) -> None:
    expected = check(vault, capsys)
    cache_path(vault, vault / "notes").write_bytes(content)
    parses.clear()
    assert check(vault, capsys) == expected
    assert sorted(parses) == sorted(NOTES)
    parses.clear()
    check(vault, capsys)
    assert parses == []


def test_no_cache_parses_everything_and_writes_nothing(
    vault: Path, parses: list[str], capsys: pytest.CaptureFixture
) -> None:
    check(vault, capsys, "--no-cache")
    check(vault, capsys, "--no-cache")
    assert sorted(parses) == sorted([*NOTES, *NOTES])
    assert not (vault / CACHE_DIR).exists()


def test_cache_option_off_in_mkdocs_yml(vault: Path, parses: list[str], capsys: pytest.CaptureFixture) -> None:
    config = vault / "mkdocs.yml"
    config.write_text("site_name: t\ndocs_dir: notes\nplugins:\n  - kb:\n      cache: false\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 1
    assert not (vault / CACHE_DIR).exists()


def site_build(project: Path) -> None:
    """One rebuild as `mkdocs serve` does it: the config is loaded afresh, with new plugin instances."""
    config = load_config(str(project / "mkdocs.yml"))
    build(config)


def test_mkdocs_rebuilds_do_not_parse_unchanged_notes(vault: Path, parses: list[str]) -> None:
    (vault / "mkdocs.yml").write_text("site_name: t\ndocs_dir: notes\nplugins:\n  - kb\n", encoding="utf-8")
    site_build(vault)
    assert sorted(parses) == sorted(NOTES)
    parses.clear()
    site_build(vault)
    assert parses == []
    alpha = vault / "notes/alpha.md"
    alpha.write_text(NOTES["alpha.md"] + "\nEdited.\n", encoding="utf-8")
    site_build(vault)
    assert parses == ["alpha.md"]
    assert "Edited." in (vault / "site/alpha/index.html").read_text(encoding="utf-8")
    assert (vault / CACHE_DIR).is_dir()
    assert not (vault / "notes" / CACHE_DIR).exists()


def test_the_fingerprint_follows_the_slugify_options() -> None:
    from markdown.extensions.toc import slugify as toc_slugify
    from pymdownx.slugs import slugify

    assert fingerprint(slugify(case="none"), "-") == fingerprint(slugify(case="none"), "-")
    assert fingerprint(slugify(case="lower"), "-") != fingerprint(slugify(case="none"), "-")
    assert fingerprint(toc_slugify, "-") != fingerprint(toc_slugify, "_")
