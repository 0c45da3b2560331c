"""The knowledge base itself: every note meets the bar, and reviewed facts stay right.

A wrong fact is a bug. Facts checked in review against their public source are pinned here,
so an edit that changes one must also update this table (and say which source it follows).
"""

from __future__ import annotations

import re

import pytest
from kb.analysis import analyze
from kb.checks import lonely_notes

from tests.conftest import NOTES

ANALYSIS = analyze(NOTES)
NOTES_BY_NAME = {note.name: note for note in ANALYSIS.vault.notes}
TOPIC_NOTES = [note for note in ANALYSIS.vault.notes if note.name != "index"]
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")


def prose_words(body: str) -> int:
    """Words of substance: without the Related list and Markdown table rules."""
    body = body.split("\n## Related", 1)[0]
    return len(WORD_RE.findall(re.sub(r"\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]", r"\2 \1", body)))


def test_knowledge_base_has_at_least_60_topic_notes() -> None:
    assert len(TOPIC_NOTES) >= 60


@pytest.mark.parametrize("note", TOPIC_NOTES, ids=lambda n: n.id)
def test_note_meets_the_bar(note) -> None:
    assert note.meta.get("title") and note.description, "title and description are required"
    assert len(note.description) <= 200
    assert note.sources, "every note cites its public sources"
    assert note.last_reviewed is not None
    assert note.tags
    assert prose_words(note.body) >= 150
    assert len({link.target for link in note.links}) >= 5, "link related notes generously"
    first_heading = next(h for h in note.headings if h.level == 1)
    assert first_heading.text == note.title, "the first heading is the title"


def test_no_note_is_an_orphan_and_the_vault_is_clean() -> None:
    assert lonely_notes(ANALYSIS.links_to) == set()
    assert [d for d in ANALYSIS.diagnostics if d.severity in ("error", "warning")] == []


# (note, pattern that must appear): facts verified in review, with the source named in the note.
PINNED_FACTS = [
    ("cpt", r"99201 was d"),  # deleted for 2021 (AMA CPT 2021 E/M changes)
    ("cpt", r"Category II[^.]*\bF\b"),  # Category II codes end in F
    ("cpt", r"Category III[^.]*\bT\b"),  # Category III codes end in T
    ("em-office-visits-2021", r"99202-99205"),
    ("conversion-factor", r"\$33\.4009"),  # CY 2026 non-qualifying APM CF (CMS-1832-F)
    ("conversion-factor", r"\$33\.5675"),  # CY 2026 qualifying APM CF (CMS-1832-F)
    ("medicare-appeals", r"\$1,960"),  # CY 2026 federal court AIC (90 FR 55869)
    ("timely-filing", r"12 months|one calendar year|1 calendar year"),  # 42 CFR 424.44
    ("abn", r"CMS-R-131"),
    ("icd-10-cm", r"October 1"),
    ("x-modifiers", r"XE"),
    ("npi", r"10"),
    ("hipaa-transaction-standards", r"1171-1179"),  # Part C of Title XI as HIPAA enacted it (ASPE)
    ("ndc-on-claims", r"retail pharmacy"),  # 45 CFR 162.1002: NDC is the standard there only
    ("modifier-59", r"92012-92014"),  # processed as if 59 were absent (Noridian, from CMS's instruction)
    ("x12-837", r"30 characters"),  # line item control number (Stedi's edit, from the adopted standard)
    ("new-vs-established-patient", r"99202-99205"),
]

# Claims that review found wrong: they must not come back.
KNOWN_ERRORS = [
    (r"99201\s*[–-]\s*99499", "E/M range starts at 99202: 99201 was deleted in 2021"),
    (r"CPT codes are 5-digit numeric", "Category II and III codes end in a letter"),
    (r"RAG system", "belongs to another project"),
    (r"CPT code generally takes precedence", "Medicare requires the Level II code where CMS created one"),
    (r"1171-1180", "HIPAA added sections 1171-1179; section 1180 came with GINA in 2008"),
    (r"HIPAA medical code set for drugs", "NDC is the HIPAA standard for retail pharmacy transactions only"),
    (r"1P-8P|modifiers\*\* are two digits", "the performance-measure modifiers are 1P, 2P, 3P and 8P only"),
    (
        r"above and beyond the usual|distinct or independent from|physical medicine and rehabilitation services and "
        r"supply|evocative/suppression",
        "CPT descriptor wording is the AMA's copyright: say it in our own words",
    ),
]


@pytest.mark.parametrize(("name", "pattern"), PINNED_FACTS)
def test_pinned_fact_is_still_stated(name: str, pattern: str) -> None:
    assert re.search(pattern, NOTES_BY_NAME[name].body), f"{name}: expected /{pattern}/"


@pytest.mark.parametrize(("pattern", "why"), KNOWN_ERRORS)
def test_known_error_does_not_return(pattern: str, why: str) -> None:
    offenders = [n.path for n in ANALYSIS.vault.notes if re.search(pattern, n.text)]
    assert offenders == [], why


VERIFIED_CONVERSION_FACTORS = {
    "$32.3465",  # CY 2025 final (CMS-1807-F)
    "$33.4209",  # CY 2026 proposed, non-QP (CMS-1832-P)
    "$33.4009",  # CY 2026 final, non-QP (CMS-1832-F)
    "$33.5675",  # CY 2026 final, QP (CMS-1832-F)
}


def test_conversion_factor_figures_are_verified_ones() -> None:
    figures = {m.group() for n in ANALYSIS.vault.notes for m in re.finditer(r"\$3\d\.\d{4}", n.body)}
    assert figures <= VERIFIED_CONVERSION_FACTORS, "a conversion factor quoted anywhere must be a verified one"
