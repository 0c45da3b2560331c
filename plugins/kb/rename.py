"""`kb rename`: move a note and rewrite every wikilink to it, keeping labels, anchors and embeds."""

from __future__ import annotations

import codecs
import difflib
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kb.analysis import Analysis
from kb.naming import path_problem
from kb.notes import Note, decode, parse_note
from kb.resolve import Index, Resolution, fold, resolve_all, strip_markdown_suffix
from kb.wikilinks import Link


class RenameError(Exception):
    """The rename cannot be done; nothing was changed. The message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Rename:
    """A planned rename: every changed note as (path before, path after, text before, text after)."""

    old: str
    new: str
    changes: tuple[tuple[str, str, str, str], ...]
    links: int  # how many links were rewritten
    notes: int  # in how many notes


def find_note(analysis: Analysis, written: str) -> Note:
    """The note named by a path (`claims/mbi.md`), an id (`claims/mbi`) or a name (`mbi`)."""
    key = fold(strip_markdown_suffix(written.strip().strip("/")))
    notes = [n for n in analysis.vault.notes if fold(n.id) == key] or analysis.index.by_name.get(key, [])
    if len(notes) == 1:
        return notes[0]
    if notes:
        paths = ", ".join(n.path for n in notes)
        raise RenameError(f"'{written}' matches {len(notes)} notes ({paths}); write the folder too, e.g. {notes[0].id}")
    guesses = analysis.index.suggest(written)
    hint = "did you mean " + " or ".join(n.id for n in guesses) + "?" if guesses else "run `kb stats` to list notes"
    raise RenameError(f"no note named '{written}'; {hint}")


def new_path(analysis: Analysis, note: Note, written: str) -> str:
    """Where `note` goes: `written` is a new name (same folder) or a path from the notes folder."""
    text = written.strip().strip("/")
    if "/" not in text and note.folder:  # a bare name stays in the note's folder; `./name` is at the top
        text = f"{note.folder}/{text}"
    text = text.removeprefix("./")
    stem = strip_markdown_suffix(text)
    path = stem + (text[len(stem) :] or note.path[len(note.id) :])
    name = stem.rpartition("/")[2]
    problem = path_problem(stem)
    if problem:
        raise RenameError(f"cannot rename to '{written}': {problem}")
    if path == note.path:
        raise RenameError(f"'{note.path}' already has that name")
    if (analysis.vault.root / path).exists() and fold(path) != fold(note.path):
        raise RenameError(f"'{path}' already exists; choose another name, or merge the two notes by hand first")
    twins = [n.path for n in analysis.index.by_name.get(fold(name), []) if n is not note]
    if twins:
        raise RenameError(f"a note named '{name}' already exists ({twins[0]}); links [[{name}]] would become ambiguous")
    return path


def target_span(text: str, link: Link) -> tuple[int, int]:
    """Offsets of the target part of a link (`cpt` in `![[cpt#Part|label]]`)."""
    start = link.start + (3 if link.embed else 2)
    inner = text[start : link.end - 2]
    cut = min((i for i in (inner.find("|"), inner.find("#")) if i >= 0), default=len(inner))
    if cut < len(inner) and inner[cut] == "|" and inner[:cut].endswith("\\"):
        cut -= 1  # `[[cpt\|label]]` inside a Markdown table
    raw = inner[:cut]
    return start + len(raw) - len(raw.lstrip()), start + len(raw.rstrip())


def link_text(written: str, folder: str, target: str, name: str | None) -> str:
    """How a link written as `written`, in a note in `folder`, now names `target` (a path without suffix).

    The link keeps its style: a name stays a name, a path a path, a relative path relative, `.md` stays.
    """
    stem = strip_markdown_suffix(written)
    suffix = written[len(stem) :]
    if written.startswith(("./", "../")):
        relative = posixpath.relpath(target, folder or ".")
        text = relative if relative.startswith("../") else "./" + relative
    elif written.startswith("/"):
        text = "/" + target
    elif "/" in stem or name is None:
        text = target
    else:
        text = name
    return text + suffix


def _edits(note: Note, old: Note, new_id: str, resolutions: Iterable[Resolution]) -> list[tuple[int, int, str]]:
    """(start, end, new target) for every link of `note` that must change."""
    moved = note is old
    folder = posixpath.dirname(new_id) if moved else note.folder
    edits = []
    for res in resolutions:
        link = res.link
        if res.note is old and link.target:
            text = link_text(link.target, folder, new_id, new_id.rsplit("/", 1)[-1])
        elif moved and folder != old.folder and link.target.startswith(("./", "../")) and res.resolved:
            goes_to = res.note.id if res.note is not None else str(res.file)
            text = link_text(link.target, folder, goes_to, None)
        else:
            continue
        if text != link.target:
            start, end = target_span(note.text, link)
            edits.append((start, end, text))
    return edits


def _targets(resolutions: Iterable[Resolution], old_id: str, new_id: str) -> Counter[tuple[str, str]]:
    """(source, target) of every resolved link, with the renamed note under its new id."""
    rename = {old_id: new_id}
    return Counter(
        (rename.get(r.source.id, r.source.id), rename.get(r.note.id, r.note.id) if r.note else str(r.file))
        for r in resolutions
        if r.resolved
    )


def plan_rename(analysis: Analysis, old_written: str, new_written: str) -> Rename:
    """Every text change renaming a note needs; checked by resolving the renamed vault again."""
    old = find_note(analysis, old_written)
    path = new_path(analysis, old, new_written)
    new_id = strip_markdown_suffix(path)
    by_source: dict[str, list[Resolution]] = {}
    for res in analysis.resolutions:
        by_source.setdefault(res.source.path, []).append(res)
    changes, links, notes = [], 0, 0
    for note in analysis.vault.notes:
        edits = _edits(note, old, new_id, by_source.get(note.path, ()))
        if not edits and note is not old:
            continue
        text = note.text
        for start, end, target in sorted(edits, reverse=True):
            text = text[:start] + target + text[end:]
        changes.append((note.path, path if note is old else note.path, note.text, text))
        links += len(edits)
        notes += bool(edits)
    changes.sort(key=lambda change: change[0] != old.path)  # the moved note first
    plan = Rename(old.path, path, tuple(changes), links, notes)
    _verify(analysis, plan)
    return plan


def _verify(analysis: Analysis, plan: Rename) -> None:
    """Resolve the renamed vault: every link must reach the same note as before (the renamed one by its new name).

    Links that were broken and now reach the renamed note (`[[new-name]]` written ahead of time) are fine.
    """
    index = analysis.index
    changed = {
        before: parse_note(after, text.encode("utf-8"), index.slugify, index.separator)[0]
        for before, after, _, text in plan.changes
    }
    notes = tuple(changed.get(n.path, n) for n in analysis.vault.notes)
    resolutions = resolve_all(Index(replace(analysis.vault, notes=notes), index.slugify, index.separator), notes)
    new_id = strip_markdown_suffix(plan.new)
    before = _targets(analysis.resolutions, strip_markdown_suffix(plan.old), new_id)
    after = _targets(resolutions, new_id, new_id)
    if before - after or any(target != new_id for _, target in after - before):
        raise RenameError("after the rename some links would reach a different note than before")


def encode_like(original: bytes, text: str) -> bytes:
    """`text` as bytes with the original file's byte-order mark and Windows line endings, if it had them."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if original.startswith(codecs.BOM_UTF8) else data


def file_contents(root: Path, plan: Rename) -> dict[Path, bytes]:
    """The new bytes of every file the rename writes; refuses files that changed or are not UTF-8."""
    writes = {}
    for before, after, old_text, new_text in plan.changes:
        original = (root / before).read_bytes()
        text, problems = decode(original, before)
        if problems:
            raise RenameError(f"{before} is not valid UTF-8; re-save it as UTF-8, then rename again")
        if text != old_text:
            raise RenameError(f"{before} changed while kb was reading it; run the rename again")
        writes[root / after] = encode_like(original, new_text)
    return writes


def unified_diff(changes: Iterable[tuple[str, str, str, str]]) -> str:
    """A unified diff of (path before, path after, text before, text after) changes, as `git diff` shows them."""
    out = []
    for before, after, old, new in changes:
        if before != after:
            out.append(f"rename {before} → {after}\n")
        lines = difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{before}", f"b/{after}"
        )
        out.extend(line if line.endswith("\n") else line + "\n" for line in lines)
    return "".join(out)
