"""Find text that looks like protected health information: notes are public and never carry patient data."""

from __future__ import annotations

import re

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import Note
from kb.positions import Lines

_SPACE = r"[ \t]"
_NAME = r"(?:[A-Z]')?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"  # Smith, O'Neil, McDonald, Lopez-Diaz
_FULL_NAME = rf"{_NAME}(?:{_SPACE}+[A-Z]\.)?{_SPACE}+{_NAME}|{_NAME},{_SPACE}*{_NAME}"
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})\b|\d{{4}}-\d{{1,2}}-\d{{1,2}}\b"
    rf"|(?i:(?:{_MONTH})\.?{_SPACE}+\d{{1,2}},?{_SPACE}+\d{{4}}|\d{{1,2}}{_SPACE}+(?:{_MONTH}){_SPACE}+\d{{4}})"
)
_DOB = rf"(?i:\bDOB\b|\bD\.O\.B\.?|\bdate{_SPACE}+of{_SPACE}+birth|\bbirth{_SPACE}?date|\bborn(?:{_SPACE}+on)?)"
_PATIENT = rf"(?i:\b(?:patient|pt|name|member|beneficiary|insured|subscriber)(?:{_SPACE}+name)?)"
# CMS's MBI format: C A AN N A AN N A A N N; letters never S, L, O, I, B or Z; dashes only for display.
_MBI_LETTER = "AC-HJKMNP-RT-Y"
_MBI = rf"[1-9][{_MBI_LETTER}][{_MBI_LETTER}0-9]\d-?[{_MBI_LETTER}][{_MBI_LETTER}0-9]\d-?[{_MBI_LETTER}]{{2}}\d{{2}}"

# (pattern, what it looks like, how to show the format instead)
PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])"),
        "a Social Security number (SSN)",
        "XXX-XX-XXXX",
    ),
    (
        re.compile(
            rf"(?i:\b(?:SSN|SS#|social{_SPACE}+security(?:{_SPACE}+(?:number|no\.?|#))?))"
            rf"{_SPACE}*(?:is{_SPACE}+)?[:#]?{_SPACE}*\d{{3}}{_SPACE}?\d{{2}}{_SPACE}?\d{{4}}\b"
        ),
        "a Social Security number (SSN)",
        "XXX-XX-XXXX",
    ),
    (
        re.compile(rf"(?<![A-Za-z0-9-])(?i:{_MBI})(?![A-Za-z0-9-])"),
        "a Medicare Beneficiary Identifier (MBI)",
        "XXXX-XXX-XXXX",
    ),
    (
        re.compile(rf"\b(?:{_FULL_NAME}){_SPACE}*[,(]?{_SPACE}*{_DOB}{_SPACE}*[:#]?{_SPACE}*(?:{_DATE})"),
        "a person's name with a date of birth",
        "Patient A, DOB MM/DD/YYYY",
    ),
    (
        re.compile(rf"{_PATIENT}{_SPACE}*[:#-]{_SPACE}*(?:{_FULL_NAME})[^\n]{{0,80}}?(?:{_DATE})"),
        "a person's name with a date of birth",
        "Patient A, DOB MM/DD/YYYY",
    ),
    (
        re.compile(
            rf"(?i:\b(?:MRN|MR{_SPACE}?#|med(?:ical)?{_SPACE}+rec(?:ord)?{_SPACE}*(?:number|no\.?|#)"
            rf"|chart{_SPACE}*(?:number|no\.?|#)))"
            rf"{_SPACE}*(?:is{_SPACE}+)?[:#]?{_SPACE}*[A-Z]{{0,3}}-?\d{{5,}}\b"
        ),
        "a medical record number (MRN)",
        "MRN XXXXXXX",
    ),
)


def find_phi(text: str) -> list[tuple[int, str, str]]:
    """(offset, what it looks like, placeholder) of each stretch of text that looks like patient data."""
    matches = sorted(
        (match.start(), match.end(), what, placeholder)
        for pattern, what, placeholder in PATTERNS
        for match in pattern.finditer(text)
    )
    found, reported_end = [], -1
    for start, end, what, placeholder in matches:
        if start >= reported_end:  # one finding per stretch, even when two patterns match it
            found.append((start, what, placeholder))
            reported_end = end
    return found


def check_phi(note: Note) -> list[Diagnostic]:
    """A `phi` error at each finding in the whole file, frontmatter and code blocks included."""
    lines = Lines(note.text)
    return [
        diag.make(
            "phi",
            note.path,
            *lines.at(offset),
            f"possible patient data: {what}",
            f"notes are public reference material: delete it; to show the format, write {placeholder}",
        )
        for offset, what, placeholder in find_phi(note.text)
    ]
