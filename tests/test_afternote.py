"""The worker that makes what follows each note on its page: forked, and replaced by this process whenever it fails."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from kb import afternote, plugin
from kb.afternote import AfterNotes, Parts

from tests.site_helpers import build_site, write_vault

PARENT = os.getpid()


def made(path: str) -> Parts:
    """Parts that tell which process made them."""
    return f"links of {path}", str(os.getpid())


@pytest.fixture(autouse=True)
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    # the test process may run other threads (a browser test's); these workers touch no lock they hold
    monkeypatch.setattr(afternote, "can_fork", lambda: True)


def test_every_page_is_made_once_in_the_worker() -> None:
    notes = AfterNotes(made, ["a.md", "b.md"], background=True)
    first = notes.take("a.md")
    assert first[0] == "links of a.md" and first[1] != str(PARENT)
    assert notes.take("b.md")[1] == first[1]
    assert notes.take("a.md") == ("links of a.md", str(PARENT))  # taken again: made here
    assert notes.take("c.md") == ("links of c.md", str(PARENT))  # not asked of the worker


def test_without_background_nothing_is_forked() -> None:
    notes = AfterNotes(made, ["a.md"], background=False)
    assert notes.take("a.md") == ("links of a.md", str(PARENT))


def dies(path: str) -> Parts:
    if os.getpid() != PARENT:
        os._exit(3)
    return made(path)


def stuck(path: str) -> Parts:
    if os.getpid() != PARENT:
        time.sleep(60)
    return made(path)


def test_a_worker_that_dies_or_hangs_leaves_the_pages_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert AfterNotes(dies, ["a.md"], background=True).take("a.md") == ("links of a.md", str(PARENT))
    monkeypatch.setattr(afternote, "WAIT", 0.2)
    notes = AfterNotes(stuck, ["a.md"], background=True)
    worker = notes._worker
    assert worker is not None
    started = time.monotonic()
    assert notes.take("a.md") == ("links of a.md", str(PARENT))
    assert time.monotonic() - started < 10
    assert not worker[0].is_alive()


def test_closing_stops_a_running_worker() -> None:
    notes = AfterNotes(stuck, ["a.md"], background=True)
    worker = notes._worker
    assert worker is not None and worker[0].is_alive()
    notes.close()
    assert not worker[0].is_alive()
    assert notes.take("a.md") == ("links of a.md", str(PARENT))


def test_a_site_built_with_the_worker_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = write_vault(
        tmp_path / "notes",
        {
            "a.md": "# A\n\nSee [[b]] and [[c|<i>C</i>]].\n",
            "b.md": '---\ntitle: "<b>B</b> & co"\n---\n# B\n\n## Linked from\n\nBack to [[a]], see [[c#Part]].\n',
            "c.md": "# C\n\n## Part\n\n- [[a]]\n- [[b]]\n",
        },
    )
    alone = build_site(notes, tmp_path / "alone")
    monkeypatch.setattr(plugin, "BACKGROUND_FROM", 0)
    monkeypatch.setattr(plugin, "cpus", lambda: 2)
    here: list[str] = []  # pages whose sections were made in this process: none, with the worker
    make = plugin.KnowledgeBasePlugin._after_note
    monkeypatch.setattr(plugin.KnowledgeBasePlugin, "_after_note", lambda *args: here.append(args[-1]) or make(*args))
    helped = build_site(notes, tmp_path / "helped")
    assert here == []
    pages = sorted(p.relative_to(alone) for p in alone.rglob("*") if p.suffix in (".html", ".json"))
    assert pages == sorted(p.relative_to(helped) for p in helped.rglob("*") if p.suffix in (".html", ".json"))
    assert all((alone / page).read_bytes() == (helped / page).read_bytes() for page in pages)
    page = (helped / "b" / "index.html").read_text(encoding="utf-8")
    assert 'id="linked-from_1"' in page and "kb-local-graph" in page and "&lt;b&gt;B&lt;/b&gt;" in page


@pytest.mark.parametrize("worker", [False, True])
def test_with_backlinks_off_a_page_keeps_its_local_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: bool
) -> None:
    notes = write_vault(tmp_path / "notes", {"a.md": "# A\n\nSee [[b]].\n", "b.md": "# B\n\nBack to [[a]].\n"})
    options = plugin.Settings.from_options
    monkeypatch.setattr(
        plugin.Settings, "from_options", lambda *args: dataclasses.replace(options(*args), backlinks=False)
    )
    if worker:
        monkeypatch.setattr(plugin, "BACKGROUND_FROM", 0)
        monkeypatch.setattr(plugin, "cpus", lambda: 2)
    page = (build_site(notes, tmp_path / "site") / "b" / "index.html").read_text(encoding="utf-8")
    assert "kb-backlinks" not in page and "Linked from" not in page
    assert "kb-local-graph" in page
