"""The sanitizer worker: the same pages as in this process, and the site the same whether it is used or not."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from kb import plugin, sanitizer
from kb.sanitize import sanitize
from kb.sanitizer import Sanitizer, read_frame, serve, write_frame

from tests.site_helpers import build_site, write_vault

PAGES = [
    "<p>plain</p>",
    '<p onclick="x()">clicked</p><script>alert(1)</script><a href="javascript:alert(2)">j</a>',
    "<p>é ✓ 𝄞 \u2028 \x00</p>",
    "",
    "<p>" + "long " * 50_000 + "</p>",  # larger than a pipe's buffer
]


def test_frames_round_trip_and_end_cleanly() -> None:
    stream = io.BytesIO()
    for page in PAGES:
        write_frame(stream, page)
    stream.write(b"\x00\x00")  # a cut-off frame reads as the end
    stream.seek(0)
    assert [read_frame(stream) for _ in PAGES] == PAGES
    assert read_frame(stream) is None


def test_the_worker_loop_answers_each_page_in_order() -> None:
    source, sink = io.BytesIO(), io.BytesIO()
    for page in PAGES:
        write_frame(source, page)
    source.seek(0)
    serve(source, sink)
    sink.seek(0)
    assert [read_frame(sink) for _ in PAGES] == [sanitize(page) for page in PAGES]


def test_the_worker_process_gives_what_this_process_gives() -> None:
    pool = Sanitizer(background=True)
    worker = pool._worker
    assert worker is not None
    for number, page in enumerate(PAGES):
        pool.submit(str(number), page)
    assert [pool.take(str(number), page) for number, page in enumerate(PAGES)] == [sanitize(p) for p in PAGES]
    pool.close()
    assert worker.wait(5) == 0


def test_a_page_changed_after_it_was_submitted_is_sanitized_as_it_is_now() -> None:
    pool = Sanitizer(background=True)
    pool.submit("a", "<p>old</p>")
    assert pool.take("a", "<p>new</p><script>x</script>") == "<p>new</p>"
    pool.close()


def test_pages_are_sanitized_here_when_the_worker_dies() -> None:
    pool = Sanitizer(background=True)
    assert pool._worker is not None
    pool.submit("before", PAGES[1])
    pool._worker.kill()
    pool._worker.wait(5)
    for number, page in enumerate(PAGES):
        pool.submit(str(number), page)
    assert pool.take("before", PAGES[1]) == sanitize(PAGES[1])
    assert [pool.take(str(number), page) for number, page in enumerate(PAGES)] == [sanitize(p) for p in PAGES]
    pool.close()


def test_a_stuck_worker_is_stopped_and_its_pages_are_sanitized_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sanitizer, "WAIT", 0.2)
    pool = Sanitizer(background=True)
    worker = pool._worker
    assert worker is not None
    os.kill(worker.pid, signal.SIGSTOP)  # alive, but it never answers
    for number, page in enumerate(PAGES):
        pool.submit(str(number), page)
    start = time.monotonic()
    assert [pool.take(str(number), page) for number, page in enumerate(PAGES)] == [sanitize(p) for p in PAGES]
    assert time.monotonic() - start < 3  # one wait, not one per page
    assert worker.wait(5) != 0  # killed
    pool.close()


def test_pages_are_sanitized_here_when_the_worker_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    pool = Sanitizer(background=True)
    assert pool._worker is None
    pool.submit("a", PAGES[1])
    assert pool.take("a", PAGES[1]) == sanitize(PAGES[1])


def test_the_site_is_the_same_with_the_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = write_vault(
        tmp_path / "notes",
        {
            "a.md": "# A\n\nSee [[b]] <img src=x onerror=alert(1)>.\n",
            "b.md": '---\ntitle: "<b>B</b>"\n---\n# B\n\n<script>alert(1)</script> and [[a]] {: onclick="x()" }\n',
        },
    )
    alone = build_site(notes, tmp_path / "alone")
    monkeypatch.setattr(plugin, "BACKGROUND_FROM", 0)
    monkeypatch.setattr(plugin, "cpus", lambda: 2)
    here: list[str] = []  # pages sanitized in this process: none, with the worker
    monkeypatch.setattr(sanitizer, "sanitize", lambda page: here.append(page) or sanitize(page))
    helped = build_site(notes, tmp_path / "helped")
    assert here == []
    pages = sorted(p.relative_to(alone) for p in alone.rglob("*") if p.suffix in (".html", ".json"))
    assert pages == sorted(p.relative_to(helped) for p in helped.rglob("*") if p.suffix in (".html", ".json"))
    assert Path("a/index.html") in pages and Path("search/search_index.json") in pages
    assert all((alone / page).read_bytes() == (helped / page).read_bytes() for page in pages)
    assert "onerror" not in (helped / "a" / "index.html").read_text(encoding="utf-8")
