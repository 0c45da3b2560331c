"""Loading a vault: many notes are parsed by worker processes, with the same result as one process."""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys
from pathlib import Path

import kb.vault
import pytest
from kb.files import listing
from kb.vault import load_vault

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import gen_corpus

# Loads a vault in a fresh interpreter, as `kb check` does (this test process may run a served
# site's thread, and then the loader rightly parses alone), with workers for as few as 61 notes
# on 2 cores. Prints the pickled vault; appends the id of each process that parsed a note to a log.
LOAD = """
import os, pickle, sys, threading, time
from pathlib import Path
import kb.vault
from kb.sections import toc_slugify
notes, log, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real = kb.vault.load_note
def logged(*args):
    time.sleep(0.01)  # so that neither worker is done before the other has started
    with log.open("a") as file:
        file.write(f"{os.getpid()}\\n")
    return real(*args)
kb.vault.load_note = logged  # forked workers inherit it
kb.vault.PARALLEL_MIN_NOTES, kb.vault.CHUNK_NOTES, kb.vault.cpus = 2, 7, lambda: 2
stop = threading.Event()
if mode == "thread":  # as `mkdocs serve` runs its server beside the builds
    threading.Thread(target=stop.wait).start()
vault = kb.vault.load_vault(notes, slugify=lambda text, sep: toc_slugify(text, sep))  # inherited, not pickled
stop.set()
sys.stdout.buffer.write(pickle.dumps((vault, os.getpid())))
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """60 generated notes, one with a frontmatter error and patient data, which the loader reports."""
    gen_corpus.generate(tmp_path, 60, 1)
    (tmp_path / "notes" / "bad.md").write_text("---\ntitle: [Bad\n---\nSSN 123-45-6789\n", encoding="utf-8")
    return tmp_path / "notes"


def load_elsewhere(notes: Path, mode: str = "") -> tuple[kb.vault.Vault, set[int], int]:
    """(the vault, the processes that parsed its notes, the loading process) from a fresh interpreter."""
    log = notes.parent / f"pids{mode}.txt"
    run = subprocess.run([sys.executable, "-c", LOAD, str(notes), str(log), mode], capture_output=True, check=True)
    vault, pid = pickle.loads(run.stdout)
    return vault, {int(line) for line in log.read_text().split()}, pid


def test_workers_parse_the_notes_as_this_process_would(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared, parsers, loader = load_elsewhere(corpus)
    assert len(parsers) == 2 and loader not in parsers
    monkeypatch.setattr(kb.vault, "PARALLEL_MIN_NOTES", 10**9)
    alone = load_vault(corpus)
    assert len(alone.notes) == 61 and {d.code for d in alone.diagnostics} == {"frontmatter", "phi"}
    assert shared == alone


def test_a_process_running_threads_parses_alone(corpus: Path) -> None:
    _, parsers, loader = load_elsewhere(corpus, "thread")
    assert parsers == {loader}


def test_a_note_gone_before_it_is_read_is_reported(corpus: Path) -> None:
    listed = listing(corpus)
    gone = next(entry.path for entry in listed[0] if entry.path.endswith(".md"))
    (corpus / gone).unlink()
    why = os.strerror(errno.ENOENT)
    assert kb.vault.load_notes(corpus, [gone], kb.vault.toc_slugify, "-") == [why]
    vault = load_vault(corpus, listed=listed)
    assert gone not in {n.path for n in vault.notes} and len(vault.notes) == 60
    [problem] = [d for d in vault.diagnostics if d.code == "unreadable"]
    assert (problem.path, problem.line, problem.col, problem.message) == (gone, 1, 1, f"cannot read: {why}")
