"""The on-disk note cache: unchanged notes are not parsed again, by `kb check` or by MkDocs rebuilds."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import kb.cachefiles
import kb.cli
import kb.recheck
import pytest
from kb.cachefiles import CACHE_DIR, RACY_NS, cache_path, fingerprint
from kb.cli import main
from kb.sections import toc_slugify
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
    for kind in ("notes", "check", "state"):
        cache_path(vault, vault / "notes", kind).write_bytes(content)
    parses.clear()
    assert check(vault, capsys) == expected
    assert sorted(parses) == sorted(NOTES)
    parses.clear()
    check(vault, capsys)
    assert parses == []


def test_a_damaged_result_file_falls_back_to_the_cached_notes(
    vault: Path, parses: list[str], capsys: pytest.CaptureFixture
) -> None:
    expected = check(vault, capsys)
    cache_path(vault, vault / "notes", "check").write_bytes(b"not a pickle")
    parses.clear()
    assert check(vault, capsys) == expected
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


def test_an_unchanged_vault_is_answered_without_loading_a_note(
    vault: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = check(vault, capsys)
    monkeypatch.setattr(kb.cli, "check_target", lambda *args: pytest.fail("the vault was loaded again"))
    assert check(vault, capsys) == first
    assert main(["check", str(vault / "notes"), "--changed-only", "HEAD"]) == 2  # not a git repository: usage error


def settle(path: Path) -> None:
    os.utime(path, (SETTLED, SETTLED))


def test_the_saved_result_follows_every_file_in_the_notes_folder(vault: Path, capsys: pytest.CaptureFixture) -> None:
    (vault / "notes/chart.md").write_text("# Chart\n\n![[chart.png]] [[alpha]]\n", encoding="utf-8")
    settle(vault / "notes/chart.md")
    assert "chart.png" in check(vault, capsys)
    (vault / "notes/chart.png").write_bytes(b"\x89PNG")  # not a note, but what a link points at
    settle(vault / "notes/chart.png")
    assert "chart.png" not in check(vault, capsys)
    gamma = vault / "notes/topic/gamma.md"
    gamma.write_text(NOTES["topic/gamma.md"].replace("missing-note", "missing-nope"), encoding="utf-8")
    os.utime(gamma, (SETTLED + 1, SETTLED + 1))  # the same size, another time
    assert "missing-nope" in check(vault, capsys)


def test_the_saved_result_follows_the_settings(vault: Path, capsys: pytest.CaptureFixture) -> None:
    config = vault / "mkdocs.yml"
    config.write_text("site_name: t\ndocs_dir: notes\nplugins:\n  - kb\n", encoding="utf-8")

    def broken_link_levels() -> set[str]:
        main(["check", "--format", "json"])
        return {d["severity"] for d in json.loads(capsys.readouterr().out) if d["code"] == "broken-link"}

    assert broken_link_levels() == {"error"}
    config.write_text("site_name: t\ndocs_dir: notes\nplugins:\n  - kb:\n      checks: {broken-link: warning}\n")
    assert broken_link_levels() == {"warning"}  # and the day: see test_recheck's review dates of another day


def test_no_result_is_saved_while_a_file_may_still_change(vault: Path, capsys: pytest.CaptureFixture) -> None:
    (vault / "notes/alpha.md").write_text(NOTES["alpha.md"] + "\nJust saved.\n", encoding="utf-8")
    check(vault, capsys)
    assert not cache_path(vault, vault / "notes", "check").exists()
    settle(vault / "notes/alpha.md")
    check(vault, capsys)
    assert cache_path(vault, vault / "notes", "check").is_file()


def clone(project: Path, to: Path) -> Path:
    """A copy of `project` as a fresh checkout with its `.kb-cache/` restored gives it: every file new again."""
    shutil.copytree(project, to, copy_function=shutil.copy, dirs_exist_ok=True)  # copies bytes, not times
    later = SETTLED + 600
    for path in to.rglob("*"):
        os.utime(path, (later, later))
    return to


@pytest.mark.parametrize("kinds_kept", [("notes", "state", "check"), ("notes",)])  # same day; another day
def test_a_fresh_checkout_with_the_cache_restored_parses_no_note(
    vault: Path,
    parses: list[str],
    capsys: pytest.CaptureFixture,
    tmp_path_factory: pytest.TempPathFactory,
    kinds_kept: tuple[str, ...],
) -> None:
    first = check(vault, capsys)
    copy = clone(vault, tmp_path_factory.mktemp("checkout"))
    for cached in (copy / CACHE_DIR).iterdir():
        if not cached.name.startswith(kinds_kept):
            cached.unlink()  # a result and state saved on an earlier day are not used: only the notes
    parses.clear()
    assert check(copy, capsys) == first
    assert parses == []
    assert check(copy, capsys) == first  # the new times were saved: this time no file is read
    assert parses == []


def test_a_fresh_checkout_is_answered_from_the_saved_result_after_reading_each_note_once(
    vault: Path,
    capsys: pytest.CaptureFixture,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = check(vault, capsys)
    copy = clone(vault, tmp_path_factory.mktemp("checkout"))
    reads: list[str] = []
    real = kb.cachefiles.read_bytes
    monkeypatch.setattr(kb.cachefiles, "read_bytes", lambda path: reads.append(path) or real(path))
    monkeypatch.setattr(kb.recheck, "recheck", lambda *args: pytest.fail("the saved state was read"))
    assert check(copy, capsys) == first
    assert sorted(os.path.relpath(path, copy / "notes") for path in reads) == sorted(NOTES)
    reads.clear()
    assert check(copy, capsys) == first  # the new times were saved
    assert reads == []


def test_a_file_of_the_same_size_with_other_bytes_is_parsed_again(
    vault: Path, parses: list[str], capsys: pytest.CaptureFixture, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check(vault, capsys)
    copy = clone(vault, tmp_path_factory.mktemp("checkout"))
    gamma = copy / "notes/topic/gamma.md"
    gamma.write_text(NOTES["topic/gamma.md"].replace("missing-note", "missing-nope"), encoding="utf-8")
    os.utime(gamma, (SETTLED + 1, SETTLED + 1))  # another time than the cached entry's, as after an edit
    parses.clear()
    assert "missing-nope" in check(copy, capsys)
    assert parses == ["topic/gamma.md"]


def test_the_fingerprint_follows_kb_code_by_content_not_file_times() -> None:
    source = Path(kb.cli.__file__)
    before, times = fingerprint(toc_slugify, "-"), source.stat()
    try:
        os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns + 10**9))  # as a checkout leaves it
        assert fingerprint(toc_slugify, "-") == before
    finally:
        os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))
