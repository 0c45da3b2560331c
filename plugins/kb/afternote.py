"""What kb adds after a note's own text on its page (the 'Linked from' list and the local graph), made
in a second process.

Making them is about a third of kb's part of a build. With enough notes and a second CPU, a forked
worker makes every note's while MkDocs renders the pages, and each page's are taken back when the
page is written, long after the worker has finished. Otherwise (few notes, one CPU, a process that
cannot fork), or if the worker fails, each page's are made when it is written: the site is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kb.cpus import can_fork

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Parts = tuple[str, str]  # the 'Linked from' list and the local graph figure, as HTML ('' for none)
WAIT = 120.0  # seconds to wait for the worker before making every page's parts in this process


class AfterNotes:
    """Each note page's `Parts` by source path, made by `make`: for all `paths` at once in a forked
    worker when `background`, else one by one as they are taken."""

    def __init__(self, make: Callable[[str], Parts], paths: Sequence[str], background: bool) -> None:
        self._make = make
        self._made: dict[str, Parts] = {}
        self._worker: tuple[BaseProcess, Connection] | None = None
        if background and can_fork():
            self._start(paths)

    def _start(self, paths: Sequence[str]) -> None:
        import multiprocessing  # only for a build that uses the worker

        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        # forked: `make` and everything it reads are the child's copy, never pickled
        process = context.Process(target=_make_all, args=(self._make, paths, writer), daemon=True)
        try:
            process.start()
        except OSError:  # the system refuses new processes: make them here
            reader.close()
            return
        finally:
            writer.close()  # the worker's end: closed here, so that its exit shows as the pipe's end
        self._worker = process, reader

    def take(self, path: str) -> Parts:
        """The parts of the page of the note at `path` (each page's are taken once)."""
        if self._worker is not None:
            self._made = self._receive(*self._worker)
        made = self._made.pop(path, None)
        return made if made is not None else self._make(path)

    def _receive(self, process: BaseProcess, reader: Connection) -> dict[str, Parts]:
        """The worker's parts; none if it failed or did not answer within `WAIT`."""
        try:
            if reader.poll(WAIT):
                made: dict[str, Parts] = reader.recv()
                return made
        except (EOFError, OSError):  # the worker stopped before it sent its parts
            pass
        finally:
            self._stop()
        return {}

    def close(self) -> None:
        """Stop the worker, if it still runs, and forget the parts made."""
        self._stop()
        self._made = {}

    def _stop(self) -> None:
        if self._worker is None:
            return
        process, reader = self._worker
        self._worker = None
        reader.close()
        process.kill()  # it has sent its parts and is exiting, or it is stuck
        process.join()


def _make_all(make: Callable[[str], Parts], paths: Sequence[str], writer: Connection) -> None:
    """The worker: every page's parts, sent back at once."""
    writer.send({path: make(path) for path in paths})
    writer.close()
