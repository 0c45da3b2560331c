"""`kb check` after a few edits: only the edited notes are checked again when that is enough,
and the result is always the one a full check (`--no-cache`) gives."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import tempfile
import time
import types
from pathlib import Path

import kb.cachefiles
import kb.checks
import kb.cli
import kb.graph
import kb.recheck
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kb.cachefiles import cache_path
from kb.cli import main

from tests.test_properties import PROFILE

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FRONT = "---\ntitle: {title}\naliases: [{alias}]\nlast_reviewed: 2026-01-05\nsources: [CMS]\n---\n"
NOTES = {
    "claims/adjudication.md": FRONT.format(title="Adjudication", alias="ADJ")
    + "# Adjudication\n\n## Steps\n\nSee [[remittance#Codes]] and [[denial]] and [[modifier]]. ^steps\n",
    "claims/remittance.md": FRONT.format(title="Remittance", alias="ERA")
    + "# Remittance\n\n## Codes\n\nBack to [[adjudication]] and [[missing-note]].\n",
    "claims/denial.md": FRONT.format(title="Denial", alias="DEN")
    + "# Denial\n\n![[remittance#Codes]]\n\nSee [[adjudication^steps]].\n",
    "coding/modifier.md": FRONT.format(title="Modifier", alias="MOD") + "# Modifier\n\nNo links yet.\n",
    "coding/lonely.md": FRONT.format(title="Lonely", alias="LON") + "# Lonely\n\nNo links here or there.\n",
    "coding/abbr.md": "---\ntitle: Abbr\nabbr: {CPT: Current Procedural Terminology}\n---\n# Abbr\n\n[[modifier]]\n",
    "coding/terms.md": "---\ntitle: Terms\nabbr:\n  ERA: Electronic Remittance Advice\n"
    "  CPT: Current Procedural Terminology\n---\n# Terms\n\n[[abbr]]\n",
    "coding/chart.png": "",
}
SETTLED = time.time() - 3600  # an hour ago: past the window in which a file is not trusted


def write(root: Path, rel: str, text: str, when: float = SETTLED) -> None:
    path = root / "notes" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))


def make_vault(root: Path) -> None:
    for rel, text in NOTES.items():
        write(root, rel, text)


def output(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    main(["check", str(root / "notes"), "--format", "json", *extra])
    return capsys.readouterr().out


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    make_vault(tmp_path)
    return tmp_path


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the checks with the cache that loaded the whole vault (`--no-cache` always does)."""
    counted: list[int] = []
    real = kb.cli.check_target

    def counting(target: kb.cli.Target, use_cache: bool, *args: object) -> object:
        counted.extend([1] if use_cache else [])
        return real(target, use_cache, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(kb.cli, "check_target", counting)
    return counted


def edit(root: Path, rel: str, old: str, new: str, step: int = 1) -> None:
    text = (root / "notes" / rel).read_text(encoding="utf-8")
    assert old in text
    write(root, rel, text.replace(old, new), SETTLED + step)


RECHECKED = [  # edits that leave every name, heading and block id as it was
    ("claims/remittance.md", "[[missing-note]]", "[[missing-nope]] and [[adjudication#Nowhere]]"),
    ("claims/remittance.md", "[[missing-note]]", "[[lonely]]"),  # the orphan is linked now
    ("coding/modifier.md", "No links yet.", "See [[lonely]]."),  # and from a note that was linked to only
    ("coding/lonely.md", "No links here or there.", "Only [[#Lonely]], [[lonely]] and [[nowhere]]."),  # still alone
    ("claims/adjudication.md", "last_reviewed: 2026-01-05", "last_reviewed: 2019-01-05"),
    ("claims/adjudication.md", "sources: [CMS]", "sources: CMS\ncodes: [99213, '99213']"),
    ("claims/remittance.md", "Back to", "Patient John Smith, DOB 01/02/1960, back to"),
    ("claims/remittance.md", "[[adjudication]]", "[[Adjudication]] [[chart.png]] [[claims/denial]]"),
    ("claims/remittance.md", "[[missing-note]]", "![[modifier]]"),  # now it embeds
    ("claims/remittance.md", "Back to", "![[denial]] Back to"),  # denial embeds this section: a cycle
    ("claims/remittance.md", "# Remittance\n", "# Remittance\n\n![[denial]]\n"),  # outside the section: none
    ("claims/denial.md", "See [[adjudication^steps]].", "![[adjudication#Steps]]"),  # another embed
    ("coding/lonely.md", "No links here or there.", "![[lonely]]"),  # itself
    ("coding/modifier.md", "title: Modifier", "title: Modifier\nabbr: {MOD: a modifier, CPT: Common Procedure}"),
    ("coding/abbr.md", "Current Procedural", "Common Procedural"),  # terms, not edited, now disagrees
    ("coding/terms.md", "  CPT: Current", "  X: Y\n  CPT: Common"),  # terms disagrees with abbr
]
FULL = [  # edits whose effect can reach other notes' links: the whole vault is checked again
    ("claims/remittance.md", "## Codes", "## Code list"),
    ("claims/remittance.md", "aliases: [ERA]", "aliases: [ERA, 835]"),
    ("claims/remittance.md", "title: Remittance", "title: Remittance advice"),
    ("claims/adjudication.md", " ^steps", ""),
    ("claims/remittance.md", "---\ntitle", "---\ntitle: [unclosed\ntitle"),
]


@pytest.mark.parametrize(("rel", "old", "new"), RECHECKED)
def test_an_edit_within_a_note_checks_only_that_note(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int], rel: str, old: str, new: str
) -> None:
    before = output(vault, capsys)
    assert full_checks == [1]
    edit(vault, rel, old, new)
    after = output(vault, capsys)
    assert full_checks == [1], "the vault was loaded again"
    assert after == output(vault, capsys, "--no-cache") != before


@pytest.mark.parametrize(("rel", "old", "new"), FULL)
def test_an_edit_that_reaches_other_notes_checks_them_all(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int], rel: str, old: str, new: str
) -> None:
    output(vault, capsys)
    edit(vault, rel, old, new)
    after = output(vault, capsys)
    assert full_checks == [1, 1]
    assert after == output(vault, capsys, "--no-cache")


def test_an_embedded_note_is_rechecked_alone(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int]
) -> None:
    output(vault, capsys)
    edit(vault, "claims/remittance.md", "Back to", "Now back to [[denial]] and")  # denial embeds it
    after = output(vault, capsys)
    assert full_checks == [1]
    assert after == output(vault, capsys, "--no-cache")


@pytest.mark.parametrize(
    ("old", "new", "worked_out"),
    [
        ("## Codes\n", "## Codes\n\nA new line before the embed.\n", []),  # the cycle's error moves down
        ("Back to", "![[modifier]] Back to", [1]),  # another embed in the section
        ("![[denial]] Back to", "![[denial#Denial]] Back to", [1]),  # a heading of it, not the whole note
    ],
)
def test_embed_cycles_are_worked_out_again_only_if_embeds_change(
    vault: Path,
    capsys: pytest.CaptureFixture,
    full_checks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    worked_out: list[int],
) -> None:
    edit(vault, "claims/remittance.md", "Back to", "![[denial]] Back to")  # denial embeds this section: a cycle
    assert '"embed-cycle"' in output(vault, capsys)
    calls: list[int] = []
    real = kb.graph.embed_cycles
    monkeypatch.setattr(kb.graph, "embed_cycles", lambda embeds: calls.append(1) or real(embeds))
    edit(vault, "claims/remittance.md", old, new, step=2)
    after = output(vault, capsys)
    assert (full_checks, calls) == ([1], worked_out)
    assert '"embed-cycle"' in after
    assert after == output(vault, capsys, "--no-cache")


def test_an_edit_reads_back_only_the_outlines_its_links_name(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(vault, "coding/remittance.md", "# Remittance\n\n## Codes\n\n[[modifier]]\n")  # a second 'remittance'
    output(vault, capsys)
    read: list[str] = []
    real = kb.recheck.read_outline
    monkeypatch.setattr(kb.recheck, "read_outline", lambda path, known: read.append(path) or real(path, known))
    edit(vault, "coding/modifier.md", "No links yet.", "See [[Remittance#Codes]].")
    after = output(vault, capsys)
    assert full_checks == [1] and '"ambiguous-link"' in after
    assert after == output(vault, capsys, "--no-cache")
    # the edited note (before and after), the notes its link names (both remittances), and the orphan
    assert set(read) == {"coding/modifier.md", "claims/remittance.md", "coding/remittance.md", "coding/lonely.md"}
    read.clear()
    edit(vault, "coding/modifier.md", "See", "See [[nowhere]] and", step=2)  # did-you-mean reads every note
    after = output(vault, capsys)
    assert full_checks == [1] and "did you mean" in after
    assert after == output(vault, capsys, "--no-cache")
    assert set(read) == {path for path in NOTES if path.endswith(".md")} | {"coding/remittance.md"}


def test_files_added_or_removed_check_the_whole_vault(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int]
) -> None:
    output(vault, capsys)
    write(vault, "coding/new.md", "# New\n\n[[modifier]]\n")
    assert output(vault, capsys) == output(vault, capsys, "--no-cache")
    (vault / "notes/coding/chart.png").unlink()
    assert output(vault, capsys) == output(vault, capsys, "--no-cache")
    assert full_checks == [1, 1, 1]


def test_a_note_touched_not_edited_is_not_read_again(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int], parses: list[str]
) -> None:
    before = output(vault, capsys)
    parses.clear()
    write(vault, "claims/denial.md", NOTES["claims/denial.md"], SETTLED + 5)  # as `git checkout` leaves it
    assert output(vault, capsys) == before
    assert parses == []
    assert full_checks == [1]


def test_the_new_times_of_touched_notes_are_kept_so_they_are_read_once(
    vault: Path,
    capsys: pytest.CaptureFixture,
    full_checks: list[int],
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh checkout gives every note a new time: the check after it reads each note to compare it
    with the saved state, and keeps the new times, so the checks after the next edits read only the
    notes edited."""
    first = output(vault, capsys)
    for rel, text in NOTES.items():
        write(vault, rel, text, SETTLED + 5)
    reads: list[str] = []
    real = kb.cachefiles.read_bytes
    monkeypatch.setattr(kb.cachefiles, "read_bytes", lambda path: reads.append(path) or real(path))
    assert output(vault, capsys) == first
    assert sorted(os.path.relpath(path, vault / "notes") for path in reads) == sorted(
        rel for rel in NOTES if rel.endswith(".md")
    )
    for number, (rel, *change) in enumerate([RECHECKED[0], RECHECKED[2]]):
        reads.clear()
        parses.clear()
        edit(vault, rel, *change, step=9 + number)
        after = output(vault, capsys)
        assert (reads, parses) == ([], [rel])
        assert after == output(vault, capsys, "--no-cache")
    assert full_checks == [1]


def test_more_edits_than_worth_rechecking_make_a_full_check(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kb.recheck, "MAX_RECHECKED", 1)
    output(vault, capsys)
    edit(vault, *RECHECKED[0])
    edit(vault, *RECHECKED[3])
    assert output(vault, capsys) == output(vault, capsys, "--no-cache")
    assert full_checks == [1, 1]


def set_today(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Make `day` the day `kb check` runs on."""

    class Day(datetime.date):
        @classmethod
        def today(cls) -> datetime.date:
            return day

    clock = types.SimpleNamespace(date=Day)
    monkeypatch.setattr(kb.cli, "datetime", clock)
    monkeypatch.setattr(kb.checks, "datetime", clock)


@pytest.mark.parametrize("edited", [False, True])
def test_the_state_of_another_day_serves_with_that_days_review_dates(
    vault: Path,
    capsys: pytest.CaptureFixture,
    full_checks: list[int],
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
    edited: bool,
) -> None:
    reviewed = datetime.date(2026, 1, 5)  # FRONT's last_reviewed
    set_today(monkeypatch, reviewed + datetime.timedelta(days=300))
    before = output(vault, capsys)
    set_today(monkeypatch, reviewed + datetime.timedelta(days=400))  # the notes are due for review now
    if edited:
        edit(vault, *RECHECKED[0])
    parses.clear()
    after = output(vault, capsys)
    assert full_checks == [1]
    assert parses == (["claims/remittance.md"] if edited else [])
    assert after == output(vault, capsys, "--no-cache")
    assert after.count('"stale-note"') == before.count('"stale-note"') + 5  # each note with that date


@pytest.mark.parametrize("fold_after", [0, kb.recheck.MAX_EDITS])  # each edit saved in the whole state, or apart
def test_edits_are_rechecked_one_after_another(
    vault: Path,
    capsys: pytest.CaptureFixture,
    full_checks: list[int],
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
    fold_after: int,
) -> None:
    monkeypatch.setattr(kb.recheck, "MAX_EDITS", fold_after)
    output(vault, capsys)
    for step, (rel, old, new) in enumerate([RECHECKED[0], RECHECKED[3], RECHECKED[2]], start=1):
        edit(vault, rel, old, new, step)
        parses.clear()
        rechecked = output(vault, capsys)
        assert parses == [rel]  # not the notes edited before: their new state was kept
        assert rechecked == output(vault, capsys, "--no-cache")
    assert full_checks == [1]


def test_edits_kept_before_a_full_check_are_not_used_after_it(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int]
) -> None:
    output(vault, capsys)
    edit(vault, "coding/modifier.md", "No links yet.", "See [[remittance#Codes]].")
    output(vault, capsys)  # rechecked: kept as an edit, its link to remittance#Codes resolves
    edit(vault, "claims/remittance.md", "## Codes", "## Code list", step=2)
    output(vault, capsys)  # a heading changed: a full check, a new state
    edit(vault, *RECHECKED[3], step=3)
    assert full_checks == [1, 1]
    assert output(vault, capsys) == output(vault, capsys, "--no-cache")  # modifier's link is broken now


def test_a_note_saved_just_now_is_read_again_next_time(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int]
) -> None:
    output(vault, capsys)
    remittance = vault / "notes/claims/remittance.md"
    text = remittance.read_text(encoding="utf-8")
    remittance.write_text(text.replace("missing-note", "missing-nope"), encoding="utf-8")  # now, same size
    saved_at = remittance.stat().st_mtime_ns
    assert "missing-nope" in output(vault, capsys)
    remittance.write_text(text, encoding="utf-8")
    os.utime(remittance, ns=(saved_at, saved_at))  # saved again within the clock's granularity: the same time
    assert "missing-nope" not in output(vault, capsys)
    assert full_checks == [1]


def test_a_damaged_state_file_means_a_full_check(
    vault: Path, capsys: pytest.CaptureFixture, full_checks: list[int]
) -> None:
    output(vault, capsys)
    cache_path(vault, vault / "notes", "state").write_bytes(b"not a pickle")
    edit(vault, *RECHECKED[0])
    assert output(vault, capsys) == output(vault, capsys, "--no-cache")
    assert full_checks == [1, 1]


# Random edits: bodies made of links (to notes, headings, blocks, aliases, files, nowhere), headings,
# block ids, embeds and frontmatter changes; after each, the check must equal a full one.
PIECES = st.sampled_from(
    [
        "[[adjudication]] ",
        "[[remittance#Codes]] ",
        "[[remittance#Nope]] ",
        "[[adjudication^steps]] ",
        "[[ERA]] ",
        "[[chart.png]] ",
        "[[missing-note]] ",
        "[[Modifier]] ",
        "[[#Steps]] ",
        "![[modifier]] ",
        "![[denial]] ",
        "![[remittance#Codes]] ",
        "![[adjudication#Steps]] ",
        "text ",
        "\n## Steps\n",
        " ^steps\n",
        "\n",
    ]
)
BODY = st.lists(PIECES, max_size=8).map("".join)
FRONTS = st.sampled_from(
    [
        FRONT.format(title="{title}", alias="{alias}"),
        FRONT.format(title="{title}", alias="{alias}").replace("2026-01-05", "2020-01-05"),
        "---\ntitle: {title}\naliases: [{alias}]\n---\n",
        "---\ntitle: {title}\naliases: [{alias}, Other]\nsources: [CMS]\n---\n",
        "---\ntitle: {title}\naliases: [{alias}]\nabbr: {{CPT: Common Procedure Table}}\n---\n",
        "---\ntitle: {title}\naliases: [{alias}]\nabbr:\n  ERA: Electronic Remittance Advice\n---\n",
    ]
)
NAMES = {
    "claims/adjudication.md": ("Adjudication", "ADJ"),
    "claims/remittance.md": ("Remittance", "ERA"),
    "claims/denial.md": ("Denial", "DEN"),
    "coding/modifier.md": ("Modifier", "MOD"),
}
# Each edit: the note, its new frontmatter and body, and whether every file is then touched (as a checkout leaves them).
EDITS = st.lists(st.tuples(st.sampled_from(sorted(NAMES)), FRONTS, BODY, st.booleans()), min_size=1, max_size=4)


@settings(PROFILE, max_examples=150)
@given(EDITS)
def test_random_edits_give_the_full_check_result(edits: list[tuple[str, str, str, bool]]) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        root = Path(folder)
        make_vault(root)
        json_output(root)
        for step, (rel, front, body, touch) in enumerate(edits, start=1):
            title, alias = NAMES[rel]
            write(root, rel, front.format(title=title, alias=alias) + f"# {title}\n\n{body}", SETTLED + step)
            assert json_output(root) == json_output(root, "--no-cache")
            if touch:  # new times, the same bytes: the last result holds, and the next edit reads only its note
                for path in (root / "notes").rglob("*"):
                    os.utime(path, (SETTLED + step + 0.5, SETTLED + step + 0.5))
                assert json_output(root) == json_output(root, "--no-cache")


def json_output(root: Path, *extra: str) -> str:
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
        main(["check", "notes", "--format", "json", *extra])
    return out.getvalue()
