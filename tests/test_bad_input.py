"""Broken and hostile vaults: the exact diagnostics, through both `kb check` and `mkdocs build`.

Each case is a vault written in tmp_path. `kb check` must print exactly the expected lines and exit
1 when one is an error; `mkdocs build` must log the same diagnostics, raise nothing, and still publish
every note. A user's mistake never gives a traceback, a hang or a missing page.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from harness import KB_LOGGER, build_site, kb_check, kb_log_lines, page_text, write_vault
from kb.embeds import MAX_EMBED_DEPTH


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes]
    expected: list[str]  # `kb check` lines, without the `notes/` prefix
    setup: Callable[[Path], None] | None = None  # called with the notes folder
    shows: dict[str, str] = field(default_factory=dict)  # built page -> text it must show
    after_merge: str = ""  # what to change here once another branch lands


def link_loops(notes: Path) -> None:
    os.symlink("..", notes / "a" / "up")  # a/up/a/up/... forever
    os.symlink(".", notes / "b" / "self")


def nested_embeds(depth: int, copies: int = 1) -> dict[str, str | bytes]:
    """n0 embeds n1 (`copies` times), n1 embeds n2, ... down to n{depth}, which has a broken link."""
    files: dict[str, str | bytes] = {f"n{i}.md": f"# N{i}\n\n" + f"![[n{i + 1}]]\n\n" * copies for i in range(depth)}
    files[f"n{depth}.md"] = "# End\n\nbottom [[missing]]\n"
    return files


def too_deep(depth: int) -> list[str]:
    return [
        f"n{i}.md:3:2: error[embed-depth]: embeds nest {depth - i} levels deep from here, down to 'n{depth}'; "
        f"the site inlines at most {MAX_EMBED_DEPTH}; link to some of these notes instead of embedding them"
        for i in range(depth - MAX_EMBED_DEPTH)
    ]


def yaml_alias_bomb(levels: int) -> str:
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join([*lines, f"title: *a{levels - 1}", f"description: *a{levels - 1}", "---", "# Bomb", ""])


PARAGRAPH = "Prose about claims, with a [[b]] link, `inline code` and a %%comment%% in it.\n\n"
TEN_MB = "---\ntitle: Big\n---\n# Big\n\n" + PARAGRAPH * (10 * 2**20 // len(PARAGRAPH)) + "[[missing]]\n"
TEN_MB_LAST_LINE = TEN_MB.count("\n")
NFC_NAME = unicodedata.normalize("NFC", "café")
NFD_NAME = unicodedata.normalize("NFD", "café")
FRONTMATTER_HINT = "check the quotes, colons and indentation on this line"
UNCLOSED = "warning[unclosed-link]: '[[' is not closed on this line; end the link with ']]' on the same line, or write \\[\\[ to show the brackets"  # noqa: E501
OUTSIDE = "link points outside the notes folder"
BY_NAME = "link to a note by its name, e.g. [[cpt]]"
EMPTY = "write a note name between the brackets, or escape them as \\[\\["

CASES = [
    Case(
        "yaml-tab-indent",
        {"a.md": "---\ntitle: A\n\tdescription: x\n---\nbody\n"},
        [
            "a.md:3:1: error[frontmatter]: invalid YAML frontmatter: found a tab character that violates "
            "indentation while scanning a plain scalar; indent with spaces, not tabs"
        ],
    ),
    Case(
        "yaml-tab-first",
        {"a.md": "---\n\ttitle: A\n---\nbody\n"},
        [
            "a.md:2:1: error[frontmatter]: invalid YAML frontmatter: found character that cannot start any token "
            "while scanning for the next token; indent with spaces, not tabs"
        ],
    ),
    Case(
        "yaml-unclosed-quote",
        {"a.md": '---\ntitle: "A\ndescription: x\n---\nbody\n'},
        [
            "a.md:2:8: error[frontmatter]: invalid YAML frontmatter: found unexpected end of stream "
            f"while scanning a quoted scalar; {FRONTMATTER_HINT}"
        ],
    ),
    Case(
        "frontmatter-never-closed",
        {"a.md": "---\ntitle: A\nbody [[b]]\n"},
        [
            "a.md:1:1: error[frontmatter]: frontmatter opened with '---' is never closed; "
            "add a line with only '---' after the last key",
            "a.md:3:6: error[broken-link]: no note named 'b'",
        ],
    ),
    Case(
        "frontmatter-list",
        {"a.md": "---\n- a\n- b\n---\nbody\n"},
        [
            "a.md:2:1: error[frontmatter]: frontmatter is a list, not a mapping; "
            "write one 'key: value' per line, e.g. 'title: My note'"
        ],
    ),
    Case(
        "frontmatter-scalar",
        {"a.md": "---\njust text\n---\nbody\n"},
        [
            "a.md:2:1: error[frontmatter]: frontmatter is a single value ('just text'), not a mapping; "
            "write one 'key: value' per line, e.g. 'title: My note'"
        ],
    ),
    Case(
        "yaml-alias-bomb",  # a billion laughs: MkDocs printed the title for minutes
        {"a.md": yaml_alias_bomb(9)},
        [
            "a.md:3:10: error[frontmatter]: invalid YAML frontmatter: alias '*a0' "
            "(notes do not use YAML anchors and aliases); write the value out in full"
        ],
        shows={"a/index.html": "Bomb"},
    ),
    # A number is a fine title: shown as written. MERGE: a frontmatter schema may want a string here.
    Case("title-number", {"a.md": "---\ntitle: 123\n---\nbody\n"}, [], shows={"a/index.html": "123"}),
    Case(
        "aliases-single-string",  # one alias, as Obsidian reads it, not a list of characters
        {"a.md": '---\ntitle: A\naliases: "single string"\n---\nbody\n', "b.md": "[[single string]] [[s]]\n"},
        [
            "b.md:1:1: error[alias-link]: 'single string' is an alias of 'A', not a note name; "
            "write [[a|single string]]",
            "b.md:1:19: error[broken-link]: no note named 's'",
        ],
    ),
    Case(
        "latin-1",
        {"a.md": "---\ntitle: Café\n---\nnaïve [[b]]\n".encode("latin-1"), "b.md": "# B\n"},
        [
            "a.md:2:11: error[encoding]: file is not valid UTF-8 (byte 0xe9); "
            "it was probably saved as Latin-1 or Windows-1252; re-save it as UTF-8"
        ],
        shows={"a/index.html": "na\ufffdve"},
    ),
    Case(
        "utf-8-bom",
        {"a.md": "\ufeff---\ntitle: Titled\n---\n[[nope]]\n", "b.md": "\ufeff[[nope]] first\n"},
        ["a.md:4:1: error[broken-link]: no note named 'nope'", "b.md:1:1: error[broken-link]: no note named 'nope'"],
        shows={"a/index.html": "Titled"},
    ),
    Case(
        "crlf",
        {"a.md": "---\r\ntitle: Windows\r\n---\r\nline\r\n[[nope]] and [[nope2]]\r\n"},
        [
            "a.md:5:1: error[broken-link]: no note named 'nope'",
            "a.md:5:14: error[broken-link]: no note named 'nope2'",
        ],
        shows={"a/index.html": "Windows"},
    ),
    Case("empty-file", {"a.md": ""}, []),
    Case("whitespace-only", {"a.md": " \n\t\n"}, []),
    Case("no-frontmatter", {"a.md": "# Just a heading\n\n[[a]]\n"}, [], shows={"a/index.html": "Just a heading"}),
    Case("nul-bytes", {"a.md": "# Nul\n\nbefore\x00after [[a]]\n"}, []),
    pytest.param(
        Case(
            "ten-megabytes",
            {"a.md": TEN_MB, "b.md": "# B\n"},
            [f"a.md:{TEN_MB_LAST_LINE}:1: error[broken-link]: no note named 'missing'"],
        ),
        marks=pytest.mark.slow,
        id="ten-megabytes",
    ),
    Case(
        "ten-thousand-openers",
        {"a.md": "x " + "[[" * 10_000 + "\n[[b]]\n", "b.md": "# B\n"},
        [f"a.md:1:3: {UNCLOSED}"],
    ),
    Case(
        "unterminated",
        {"a.md": "see [[b and more\n[[b]] fine [[c\n[[b]\n", "b.md": "# B\n"},
        [f"a.md:1:5: {UNCLOSED}", f"a.md:2:12: {UNCLOSED}", f"a.md:3:1: {UNCLOSED}"],
    ),
    Case(
        "empty-links",
        {"a.md": "one [[]]\ntwo [[|]]\nthree [[#]]\n"},
        [
            f"a.md:1:5: error[empty-link]: empty link '[[]]'; {EMPTY}",
            f"a.md:2:5: error[empty-link]: empty link '[[|]]'; {EMPTY}",
            f"a.md:3:7: error[empty-link]: empty link '[[#]]'; {EMPTY}",
        ],
    ),
    Case(
        "escape-the-root",
        {
            "sub/a.md": "[[../../etc/passwd]]\n[[../b]]\n[[/etc/passwd]]\n[[../../b]]\n![[../../../etc/hosts]]\n"
            "[[/../b]]\n[[sub/../../b]]\n",
            "b.md": "# B\n",
        },
        [
            f"sub/a.md:1:1: error[broken-link]: {OUTSIDE}: '../../etc/passwd'; {BY_NAME}",
            "sub/a.md:3:1: error[broken-link]: no note named '/etc/passwd'",
            f"sub/a.md:4:1: error[broken-link]: {OUTSIDE}: '../../b'; {BY_NAME}",
            f"sub/a.md:5:2: error[broken-embed]: {OUTSIDE}: '../../../etc/hosts'; {BY_NAME}",
            "sub/a.md:6:1: error[broken-link]: no note named '/../b'; did you mean [[b]]?",
            "sub/a.md:7:1: error[broken-link]: no note named 'sub/../../b'",
        ],
    ),
    Case(
        "names-differ-in-case",
        {"Note.md": "# Upper\n", "note.md": "# lower\n", "c.md": "[[note]] [[Note]] [[NOTE]]\n"},
        [
            "c.md:1:1: warning[ambiguous-link]: 'note' matches 2 notes; linked to note.md (also Note.md); "
            "write the folder to choose one, e.g. [[note]]",
            "c.md:1:10: warning[ambiguous-link]: 'Note' matches 2 notes; linked to Note.md (also note.md); "
            "write the folder to choose one, e.g. [[Note]]",
            "c.md:1:19: warning[ambiguous-link]: 'NOTE' matches 2 notes; linked to Note.md (also note.md); "
            "write the folder to choose one, e.g. [[Note]]",
            "c.md:1:19: warning[case-mismatch]: 'NOTE' matches 'Note.md' only when case is ignored; write [[Note]]",
            "note.md:1:1: error[name-clash]: 'note.md' and 'Note.md' differ only in letter case; "
            "macOS and Windows cannot keep both files; rename or merge one of them",
        ],
    ),
    Case(
        "names-differ-in-normalisation",
        {f"{NFC_NAME}.md": "# NFC\n", f"{NFD_NAME}.md": "# NFD\n", "c.md": f"[[{NFC_NAME}]] [[{NFD_NAME}]]\n"},
        [
            f"c.md:1:1: warning[ambiguous-link]: '{NFC_NAME}' matches 2 notes; linked to {NFC_NAME}.md "
            f"(also {NFD_NAME}.md); write the folder to choose one, e.g. [[{NFC_NAME}]]",
            f"c.md:1:10: warning[ambiguous-link]: '{NFD_NAME}' matches 2 notes; linked to {NFD_NAME}.md "
            f"(also {NFC_NAME}.md); write the folder to choose one, e.g. [[{NFD_NAME}]]",
            f"{NFC_NAME}.md:1:1: error[name-clash]: '{NFC_NAME}.md' and '{NFD_NAME}.md' differ only in Unicode "
            "normalisation (one is NFC, the other NFD); macOS cannot keep both files; rename or merge one of them",
        ],
        shows={f"{NFC_NAME}/index.html": "NFC", f"{NFD_NAME}/index.html": "NFD"},
    ),
    Case(
        "same-slug-two-folders",
        {"x/cpt.md": "# X\n", "y/cpt.md": "# Y\n", "z/a.md": "[[cpt]]\n", "x/b.md": "[[cpt]]\n"},
        [
            "x/b.md:1:1: warning[ambiguous-link]: 'cpt' matches 2 notes; linked to x/cpt.md (also y/cpt.md); "
            "write the folder to choose one, e.g. [[x/cpt]]",
            "z/a.md:1:1: warning[ambiguous-link]: 'cpt' matches 2 notes; linked to x/cpt.md (also y/cpt.md); "
            "write the folder to choose one, e.g. [[x/cpt]]",
        ],
    ),
    Case(
        "symlink-loop",
        {"a/x.md": "# X\n[[y]]\n", "b/y.md": "# Y\n"},
        [
            "a/up:1:1: warning[symlink-loop]: folder link leads back to a folder already read; skipped; "
            "remove the symbolic link or point it outside the notes folder",
            "b/self:1:1: warning[symlink-loop]: folder link leads back to a folder already read; skipped; "
            "remove the symbolic link or point it outside the notes folder",
        ],
        setup=link_loops,
    ),
    Case(
        "embed-cycles",
        {"a.md": "# A\n\n![[b]]\n", "b.md": "# B\n\n![[a]]\n", "c.md": "# C\n\n![[c]]\n", "d.md": "# D\n\n![[a]]\n"},
        [
            "a.md:3:2: error[embed-cycle]: embed cycle: a → b → a; "
            "a note cannot embed itself, directly or through others; link instead: [[b]]",
            "b.md:3:2: error[embed-cycle]: embed cycle: b → a → b; "
            "a note cannot embed itself, directly or through others; link instead: [[a]]",
            "c.md:3:2: error[embed-cycle]: embed cycle: c → c; "
            "a note cannot embed itself, directly or through others; link instead: [[c]]",
        ],
        shows={"d/index.html": "D A B"},
    ),
    Case(
        "embeds-50-deep",
        nested_embeds(50),
        [*too_deep(50), "n50.md:3:8: error[broken-link]: no note named 'missing'"],
        shows={"n34/index.html": "bottom"},  # 16 levels: inlined all the way down
    ),
    Case(
        "embed-bomb",  # each note embeds the next three times: 3**12 copies if nothing stopped it
        nested_embeds(12, copies=3),
        ["n12.md:3:8: error[broken-link]: no note named 'missing'"],
        shows={"n0/index.html": "bottom"},
    ),
    Case(
        "reserved-names",
        {
            "index.md": "# Home\n\n[[glossary]] [[graph]] [[tags]]\n",
            "glossary.md": "# My glossary\n",
            "graph.md": "# My graph\n",
            "tags.md": "# My tags\n",
            "sub/index.md": "# Sub\n\n[[index]]\n",
        },
        [
            *(
                f"{name}.md:1:1: error[reserved-name]: '{name}.md' has the name of the {name} page the site "
                f"generates; the site shows the note, not the {name}; rename it: '{name}' at the top of the "
                "notes folder is reserved"
                for name in ("glossary", "graph")
            ),
            "sub/index.md:3:1: warning[ambiguous-link]: 'index' matches 2 notes; linked to sub/index.md "
            "(also index.md); write the folder to choose one, e.g. [[sub/index]]",
            "tags.md:1:1: error[reserved-name]: 'tags.md' has the name of the tags page the site generates; "
            "the site shows the note, not the tags; rename it: 'tags' at the top of the notes folder is reserved",
        ],
        shows={"glossary/index.html": "My glossary", "graph/index.html": "My graph", "tags/index.html": "My tags"},
    ),
]


def case_id(case: Case | object) -> str:
    return case.id if isinstance(case, Case) else str(case)


def make_vault(tmp_path: Path, case: Case) -> Path:
    notes = write_vault(tmp_path, case.files)
    if case.setup:
        case.setup(notes)
    return notes


def page_of(note: str) -> str:
    """The built page of a note (use_directory_urls)."""
    stem = note.removesuffix(".md")
    return f"{stem.removesuffix('index')}index.html" if stem.rsplit("/", 1)[-1] == "index" else f"{stem}/index.html"


def merge_note(case: Case) -> str:
    return f"\nAFTER MERGE: {case.after_merge}" if case.after_merge else ""


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_kb_check_prints_exact_diagnostics(tmp_path: Path, case: Case) -> None:
    make_vault(tmp_path, case)
    run = kb_check(tmp_path)
    lines = run.out.splitlines()
    assert lines == sorted(lines, key=location_key), "diagnostics are sorted by file, line and column"
    assert sorted(lines) == sorted(f"notes/{line}" for line in case.expected), merge_note(case)
    assert run.code == (1 if any("error[" in line for line in case.expected) else 0)
    assert "Traceback" not in run.err
    assert run.err.startswith("kb: ") and run.err.rstrip().endswith(("note", "notes")), run.err


def location_key(line: str) -> tuple[str, int, int]:
    path, line_number, col = line.split(":", 3)[:3]
    return path, int(line_number), int(col)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_mkdocs_build_logs_the_same_and_publishes_every_note(
    tmp_path: Path, case: Case, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = make_vault(tmp_path, case)
    # MkDocs' own command line stops its logger from propagating; caplog listens at the root.
    monkeypatch.setattr(logging.getLogger("mkdocs"), "propagate", True)
    with caplog.at_level(logging.INFO, logger=KB_LOGGER):
        site = build_site(tmp_path)
    assert sorted(kb_log_lines(caplog.records)) == sorted(f"notes/{line}" for line in case.expected), merge_note(case)
    for note in (p.relative_to(notes).as_posix() for p in notes.rglob("*.md")):
        assert (site / page_of(note)).is_file(), f"no page for {note}"
    for page, text in case.shows.items():
        assert text in page_text((site / page).read_text(encoding="utf-8")), merge_note(case)
