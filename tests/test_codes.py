"""`code-format`: every entry of `codes:` is a well-formed code of its code set."""

from __future__ import annotations

import pytest
from kb.codes import CODE_RE, EXPECTED, check_codes
from kb.diagnostics import format_text
from kb.notes import parse_note
from kb.positions import FrontmatterPositions


def problems(codes: str) -> list[str]:
    note, _ = parse_note("a.md", f"---\ntitle: A\ndescription: d\ncodes: {codes}\n---\n".encode())
    return [format_text(d) for d in check_codes(note, FrontmatterPositions(note.text))]


@pytest.mark.parametrize(
    "code",
    [
        "99213",  # CPT Category I
        "00100",  # CPT Category I (anesthesia) with leading zeros
        "0001F",  # CPT Category II
        "0042T",  # CPT Category III
        "G0283",  # HCPCS Level II
        "J1885",
        "V2020",
        "E11.9",  # ICD-10-CM
        "S52.501A",
        "T38.3X5A",
        "Z00.00",
        "U07.1",
        "I10",
        "E119",  # ICD-10-CM written without the dot
        "25",  # modifiers
        "59",
        "XE",
        "GA",
        "TC",
    ],
)
def test_well_formed_codes(code: str) -> None:
    assert CODE_RE.fullmatch(code)
    assert problems(f'["{code}"]') == []


@pytest.mark.parametrize(
    "code",
    ["9921", "992134", "0001G", "1234", "S52.501AB", "E11.", "5", "ABC", "99213-25", "1E.9", "G0283 "],
)
def test_malformed_codes(code: str) -> None:
    assert not CODE_RE.fullmatch(code)


def test_message_names_the_expected_patterns_and_points_at_the_entry() -> None:
    assert problems('["99213", "0001G"]') == [
        f"a.md:4:18: error[code-format]: '0001G' is not a well-formed code; expected one of {EXPECTED}"
    ]
    assert EXPECTED == (
        "CPT Category I: 5 digits (99213); CPT Category II: 4 digits + F (0001F); CPT Category III: 4 digits + T "
        "(0042T); HCPCS Level II: a letter A–V + 4 digits (G0283); ICD-10-CM: letter, digit, letter or digit, then an "
        "optional dot and up to 4 letters or digits (E11.9); modifier: 2 letters or digits (25)"
    )


def test_lower_case_or_spaces_get_the_fixed_code() -> None:
    assert problems('\n  - "g0283"\n  - " 25"') == [
        "a.md:5:5: error[code-format]: 'g0283' is not a well-formed code; write it as 'G0283'",
        "a.md:6:5: error[code-format]: ' 25' is not a well-formed code; write it as '25'",
    ]


def test_an_unquoted_number_is_checked_as_written() -> None:
    assert problems("[99213, 9921]") == [
        f"a.md:4:16: error[code-format]: '9921' is not a well-formed code; expected one of {EXPECTED}"
    ]


def test_entries_of_the_wrong_type_are_left_to_the_schema() -> None:
    assert problems("[00100, [x], ~]") == []  # 00100 is read as 64: frontmatter-schema reports it
    assert problems("99213") == []
