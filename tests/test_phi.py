"""`phi`: patient data is found, billing prose is not."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from kb.diagnostics import format_text
from kb.notes import parse_note
from kb.phi import (
    DATE_AFTER_RE,
    DOB_RE,
    LABEL_BEFORE_RE,
    MBI_RE,
    MRN_RE,
    NAME_BEFORE_RE,
    NAME_THEN_DATE_RE,
    _mbis,
    _names_with_birth_dates,
    _record_numbers,
    _ssns,
    _standalone,
    check_phi,
    find_phi,
    lower_case,
)
from kb.vault import load_vault

from tests.conftest import NOTES


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("SSN 123-45-6789 on file", "a Social Security number (SSN)"),
        ("(123-45-6789)", "a Social Security number (SSN)"),
        ("Social Security number: 123456789", "a Social Security number (SSN)"),
        ("ssn is 123 45 6789", "a Social Security number (SSN)"),
        ("MBI 1EG4-TE5-MK73 on the card", "a Medicare Beneficiary Identifier (MBI)"),
        ("MBI 1EG4TE5MK73", "a Medicare Beneficiary Identifier (MBI)"),
        ("mbi 1eg4te5mk73", "a Medicare Beneficiary Identifier (MBI)"),
        ("John Smith, DOB 03/14/1962", "a person's name with a date of birth"),
        ("Jane Q. Public (DOB: 1962-03-14)", "a person's name with a date of birth"),
        ("Doe, Jane, date of birth March 14, 1962", "a person's name with a date of birth"),
        ("Mary O'Neil born 14 March 1962", "a person's name with a date of birth"),
        ("Ann McDonald-Lopez DOB 1/2/1950", "a person's name with a date of birth"),
        ("Patient: Jane Doe, seen 3/14/62", "a person's name with a date of birth"),
        ("MRN: 00123456", "a medical record number (MRN)"),
        ("medical record number 4451234", "a medical record number (MRN)"),
        ("MR# A-1234567", "a medical record number (MRN)"),
    ],
)
def test_patient_data_is_found(text: str, what: str) -> None:
    assert [found[1] for found in find_phi(text)] == [what]


@pytest.mark.parametrize(
    "text",
    [
        "Call 1-800-633-4227 (1-800-MEDICARE) or fax 410-786-3000.",
        "NDC 0002-8215-01 is reported as 00002821501 in the 11-digit 5-4-2 format.",
        "Effective 10/01/2025, ICD-10-CM codes S52.501A and T38.3X5A apply; see CR 12345 from 01/01/2026.",
        "The MBI is 11 characters: positions 1, 4, 7, 10 and 11 are digits, e.g. the format XXXX-XXX-XXXX.",
        "Enter the patient's date of birth (item 3) as MM/DD/YYYY; a wrong date of birth returns AAA error 71.",
        "The medical record must support the level billed; MRN is not reported on the claim.",
        "Claim control number 22123456789012 and ICN 1234567890123 identify the claim, not the patient.",
        "Medicare Part B, Form CMS-1500 (02/12), OMB 0938-1197, section 1862(a)(1)(A) of the Act.",
        "Dr. Smith billed 99213-25 on 03/14/2026 for the E/M visit.",
        "Born in 1965, the Medicare program pays under Part A and Part B.",
        "the SSN-based HICN was replaced; SSN removal under MACRA section 501",
        "Placeholder: Patient A, DOB MM/DD/YYYY, SSN XXX-XX-XXXX, MRN XXXXXXX.",
        "A never-issued SSN such as 000-12-3456 or 987-65-4321 is not real.",
    ],
)
def test_billing_prose_is_not_patient_data(text: str) -> None:
    assert find_phi(text) == []


def test_the_message_points_at_the_data_and_says_what_to_do() -> None:
    note, _ = parse_note("claims/example.md", b"---\ntitle: Example\n---\nThe claim for\nJohn Smith, DOB 03/14/1962.\n")
    assert [format_text(d) for d in check_phi(note)] == [
        "claims/example.md:5:1: error[phi]: possible patient data: a person's name with a date of birth; notes are "
        "public reference material: delete it; to show the format, write Patient A, DOB MM/DD/YYYY"
    ]


def test_frontmatter_is_checked_too() -> None:
    note, _ = parse_note("a.md", b"---\ntitle: A\ndescription: member 1EG4-TE5-MK73\n---\n")
    assert [(d.line, d.col, d.code) for d in check_phi(note)] == [(3, 21, "phi")]


def test_no_real_note_has_a_phi_finding() -> None:
    notes = load_vault(NOTES).notes
    assert notes
    assert [format_text(d) for note in notes for d in check_phi(note)] == []


def ssns_by_the_plain_pattern(text: str) -> list[tuple[int, int]]:
    """The SSN finder as first written: one regex from the first digit (slow, obviously right)."""
    found = []
    for match in re.finditer(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", text):
        area, group, serial = match.group().split("-")
        issued = area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
        if issued and _standalone(text, match.start(), match.end(), "-"):
            found.append(match.span())
    return found


@given(
    st.lists(st.sampled_from(["123", "45", "6789", "-", " ", "a", "0", "000", "9", "666", "00"]), max_size=14).map(
        "".join
    )
)
@example("123-45-6789")  # at the very start and end of the text
@example("9123-45-6789 123-45-67890 000-12-3456 123-45-6789-1")
def test_the_fast_ssn_finder_finds_what_the_plain_pattern_finds(text: str) -> None:
    assert list(_ssns(text, text.lower())) == ssns_by_the_plain_pattern(text)


# One example of each keyword and label the finders know, written as a coder might.
PHI_EXAMPLES = [
    *("SSN 123-45-6789", "SS# 123456789", "social security number: 123 45 6789", "Social Security #123456789"),
    *("John Smith, DOB 03/14/1962", "Jane Q. Public (D.O.B. 1962-03-14)", "Doe, Jane, date of birth 3/14/62"),
    *("Ann Lee birth date March 14, 1962", "Ann Lee birthdate 14 March 1962", "Mary O'Neil born on 1/2/1950"),
    *("Patient: Jane Doe, 3/14/62", "Pt: John Smith DOB 1/2/50", "Name: Jane Doe 1962-03-14"),
    *("Member: John Smith 03/14/1962", "Beneficiary name: Jane Doe, 3/14/62", "Insured: Ann Lee 1/2/1950"),
    *("Subscriber # John Smith, seen 3/14/62", "Patient name: Jane Doe 03/14/1962"),
    *("MRN 00123456", "MR# A-1234567", "MR # 1234567", "med rec # 1234567", "medical record number 4451234"),
    *("medical rec no. 4451234", "chart # 1234567", "chart number 12345", "Chart no. AB-12345"),
    *("MBI 1EG4-TE5-MK73", "mbi 1eg4te5mk73", "9AA0-AA0-AA00"),
]
FRAGMENTS = [  # pieces of prose around them, with letters that lower-case or fold oddly
    *(" ", "\t", "  ", "\n", ":", "#", "-", ",", "(", ".", "1", "a", "Z", "é", "İ", "ſ", "ı", "K", "note", "123"),
    *("ss", "date", "born", "med", "mr", "chart", "name", "pt", "03/14/1962", "John Smith"),
]


def names_by_the_plain_patterns(text: str) -> list[tuple[int, int]]:
    """The name-and-birth-date finder as first written: each pattern tried through the whole text."""
    found = []
    for keyword in DOB_RE.finditer(text):
        name = NAME_BEFORE_RE.search(text, max(0, keyword.start() - 60), keyword.start())
        date = DATE_AFTER_RE.match(text, keyword.end())
        if name and date:
            found.append((name.start(), date.end()))
    for anchor in re.finditer(r"[:#][ \t]*[A-Z][a-z]", text):
        label = LABEL_BEFORE_RE.search(text, max(0, anchor.start() - 30), anchor.start())
        rest = NAME_THEN_DATE_RE.match(text, anchor.start()) if label else None
        if label and rest:
            found.append((label.start(), rest.end()))
    return sorted(found)


def written(example: str) -> st.SearchStrategy[str]:
    return st.sampled_from([example, example.upper(), example.lower(), example.replace(" ", "\t")])


@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(PHI_EXAMPLES).flatmap(written)), max_size=8))
@example(["; ".join(PHI_EXAMPLES)])
@example(["social\tsecurity number 123456789, med  rec # 1234567"])  # blanks the old keyword test missed
@example(["Socıal Securıty number 123456789"])  # ı and ſ are i and s to a pattern that ignores case
@example(["ſſn 123 45 6789"])
@example(["İ MRN 00123456"])  # İ lower-cases to two characters: the offsets after it move
@example(["MRN MRN12345"])  # a second keyword inside the first match: finditer does not look there
@example(["the patient \n# John Smith 03/14/1962"])  # `$` before the label's line end: a heading can follow it
def test_the_anchored_finders_find_what_the_plain_patterns_find(pieces: list[str]) -> None:
    text = "".join(pieces)
    lowered = lower_case(text)
    # Without the lower-case text, keywords are searched for through the whole text.
    assert sorted(_ssns(text, lowered)) == sorted(_ssns(text, None))
    assert sorted(_names_with_birth_dates(text, lowered)) == names_by_the_plain_patterns(text)
    assert list(_record_numbers(text, lowered)) == [match.span() for match in MRN_RE.finditer(text)]
    plain_mbis = [match.span() for match in MBI_RE.finditer(text) if _standalone(text, *match.span(), "-")]
    assert list(_mbis(text, lowered)) == plain_mbis


def test_each_example_is_found() -> None:
    assert [example for example in PHI_EXAMPLES if len(find_phi(example)) != 1] == []
