"""Sanitize pages in a second process, while the build goes on rendering the next ones.

nh3 holds the GIL, so a thread would not help. The worker is `python -m kb.sanitizer`: it reads
pages from stdin and writes them back sanitized, in order, each framed by its length. A page
is taken back once every page has been rendered; by then the worker has long finished it.
If the worker cannot start or dies, pages are sanitized in this process: the site is the same.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

from kb.sanitize import sanitize

FRAME = struct.Struct(">Q")  # the length, in bytes, of the UTF-8 text that follows
BACKGROUND_FROM = 200  # pages; below that, starting the worker costs more than it saves
WAIT = 120.0  # seconds for one page before giving up on the worker


def write_frame(stream: BinaryIO, text: str) -> None:
    data = text.encode("utf-8")
    stream.write(FRAME.pack(len(data)) + data)


def read_frame(stream: BinaryIO) -> str | None:
    """The next text from `stream`, or None at its end."""
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        return None
    (size,) = FRAME.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return data.decode("utf-8")


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The worker: sanitize each page read from `source` and write it to `sink`, until `source` ends."""
    while (page := read_frame(source)) is not None:
        write_frame(sink, sanitize(page))
        sink.flush()


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Sanitizer:
    """Sanitizes pages by key: in the worker when `background`, else (or once it fails) in this process."""

    def __init__(self, background: bool) -> None:
        self._pages: dict[str, tuple[str, Future[str] | None]] = {}
        self._waiting: deque[Future[str]] = deque()  # the worker answers in the order it was asked
        self._lock = threading.Lock()  # the worker is not stopped while a page is being sent to it
        self._worker: subprocess.Popen[bytes] | None = None
        if background:
            self._start()

    def _start(self) -> None:
        root = str(Path(__file__).resolve().parent.parent)  # where `kb` is imported from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        try:
            worker = subprocess.Popen(
                [sys.executable, "-m", "kb.sanitizer"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
            )
        except OSError:
            return
        self._worker = worker
        threading.Thread(target=self._read, args=(worker.stdout,), daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        while (page := read_frame(stream)) is not None:
            self._waiting.popleft().set_result(page)
        with self._lock:
            self._worker = None
            while self._waiting:
                self._waiting.popleft().set_exception(EOFError("the sanitizer worker stopped"))

    def submit(self, key: str, page_html: str) -> None:
        """Start sanitizing `page_html`; `take(key)` gives the result."""
        future: Future[str] | None = None
        with self._lock:
            worker = self._worker
            if worker is not None and worker.stdin is not None:
                future = Future()
                self._waiting.append(future)  # before the page is sent: the answer may come at once
                try:
                    write_frame(worker.stdin, page_html)
                    worker.stdin.flush()
                except OSError:  # the worker died: `_read` sees its end and fails what it was asked
                    self._worker = None
        self._pages[key] = (page_html, future)

    def take(self, key: str, page_html: str) -> str:
        """`page_html` sanitized: the worker's result if it is still the page submitted as `key`."""
        submitted, future = self._pages.pop(key)
        if future is not None and page_html is submitted:
            try:
                return future.result(WAIT)
            except (EOFError, TimeoutError):
                pass
        return sanitize(page_html)

    def close(self) -> None:
        """Stop the worker: it ends when its input does."""
        with self._lock:
            worker, self._worker = self._worker, None
        self._pages.clear()
        if worker is not None and worker.stdin is not None:
            try:
                worker.stdin.close()
                worker.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                worker.kill()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
