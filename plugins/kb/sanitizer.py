"""Sanitize pages in a second process, while the build goes on rendering the next ones.

nh3 holds the GIL, so a thread would not help. The worker is `python -m kb.sanitizer`: it reads
pages from stdin and writes them back sanitized, in order, each framed by its length. A page
is taken back once every page has been rendered; by then the worker has long finished it.
If the worker cannot start or dies, pages are sanitized in this process: the site is the same.
"""

from __future__ import annotations

import os
import queue
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


class Sanitizer:
    """Sanitizes pages by key: in the worker when `background`, else (or once it fails) in this process.

    Pages go to the worker through a queue and a thread of their own, so the build never waits on the pipe.
    """

    def __init__(self, background: bool) -> None:
        self._pages: dict[str, tuple[str, Future[str] | None]] = {}
        self._waiting: deque[Future[str]] = deque()  # the worker answers in the order it was asked
        self._outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()  # None: no more pages
        self._lock = threading.Lock()  # a page is not queued for a worker that has stopped
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
        threading.Thread(target=self._write, args=(worker.stdin,), daemon=True).start()
        threading.Thread(target=self._read, args=(worker.stdout,), daemon=True).start()

    def _write(self, stream: BinaryIO) -> None:
        try:
            while (page := self._outbox.get()) is not None:
                write_frame(stream, page)
                stream.flush()
            stream.close()
        except OSError:  # the worker stopped: `_read` sees its end and fails what it was asked
            pass

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
            if self._worker is not None:
                future = Future()
                self._waiting.append(future)
                self._outbox.put(page_html)
        self._pages[key] = (page_html, future)

    def take(self, key: str, page_html: str) -> str:
        """`page_html` sanitized: the worker's result if it is still the page submitted as `key`."""
        submitted, future = self._pages.pop(key)
        if future is not None and page_html is submitted:
            try:
                return future.result(WAIT)
            except EOFError:
                pass
            except TimeoutError:  # a stuck worker: the pages still waiting for it are done here at once
                self._stop(kill=True)
        return sanitize(page_html)

    def close(self) -> None:
        """Stop the worker and forget the pages submitted."""
        self._stop()
        self._pages.clear()

    def _stop(self, kill: bool = False) -> None:
        """Stop the worker: it ends when its input does (or at once, killed)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is None:
            return
        self._outbox.put(None)
        try:
            if kill:
                worker.kill()
            worker.wait(5)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
