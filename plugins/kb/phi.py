"""Find text that looks like protected health information: notes are public and never carry patient data.

Each finder looks for a cheap anchor first (digits in a fixed shape, a keyword) and checks the context
around it only there, so a note is read a few times at regex speed, not once per position and pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import Note
from kb.wikilinks import Lines

_S = r"[ \t]"
_NAME = r"(?:[A-Z]')?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"  # Smith, O'Neil, McDonald, Lopez-Diaz
_FULL_NAME = rf"{_NAME}(?:{_S}+[A-Z]\.)?{_S}+{_NAME}|{_NAME},{_S}*{_NAME}"
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})\b|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b"
    rf"|(?i:(?:{_MONTH})\.?{_S}+[0-9]{{1,2}},?{_S}+[0-9]{{4}}|[0-9]{{1,2}}{_S}+(?:{_MONTH}){_S}+[0-9]{{4}})"
)
# CMS's MBI format: C A AN N A AN N A A N N; letters never S, L, O, I, B or Z; dashes only for display.
_L = "AC-HJKMNP-RT-Yac-hjkmnp-rt-y"

# Found from the first dash: a pattern that starts with a literal is searched for at C speed (20x faster).
SSN_TAIL_RE = re.compile(r"-[0-9]{2}-[0-9]{4}")
AREA_RE = re.compile(r"[0-9]{3}")
SSN_KEYWORD_RE = re.compile(
    rf"(?i:\b(?:SSN|SS#|social{_S}+security(?:{_S}+(?:number|no\.?|#))?))"
    rf"{_S}*(?:is{_S}+)?[:#]?{_S}*[0-9]{{3}}{_S}?[0-9]{{2}}{_S}?[0-9]{{4}}\b"
)
MBI_RE = re.compile(rf"[1-9][{_L}][{_L}0-9][0-9]-?[{_L}][{_L}0-9][0-9]-?[{_L}]{{2}}[0-9]{{2}}")
DOB_RE = re.compile(rf"(?i:\bDOB\b|\bD\.O\.B\.?|\bdate{_S}+of{_S}+birth|\bbirth{_S}?date|\bborn(?:{_S}+on)?)")
NAME_BEFORE_RE = re.compile(rf"\b(?:{_FULL_NAME}){_S}*[,(]?{_S}*$")
DATE_AFTER_RE = re.compile(rf"{_S}*[:#]?{_S}*(?:{_DATE})")
LABELLED_NAME_RE = re.compile(r"[:#][ \t]*[A-Z][a-z]")
LABEL_BEFORE_RE = re.compile(rf"(?i:\b(?:patient|pt|name|member|beneficiary|insured|subscriber)(?:{_S}+name)?){_S}*$")
NAME_THEN_DATE_RE = re.compile(rf"[:#]{_S}*(?:{_FULL_NAME})[^\n]{{0,80}}?(?:{_DATE})")
MRN_RE = re.compile(
    rf"(?i:\b(?:MRN|MR{_S}?#|med(?:ical)?{_S}+rec(?:ord)?{_S}*(?:number|no\.?|#)|chart{_S}*(?:number|no\.?|#)))"
    rf"{_S}*(?:is{_S}+)?[:#]?{_S}*[A-Z]{{0,3}}-?[0-9]{{5,}}\b"
)


def _standalone(text: str, start: int, end: int, joiners: str) -> bool:
    """No letter, digit or `joiners` character right before `start` or right after `end`."""
    around = text[start - 1 : start] + text[end : end + 1]
    return not any(c.isalnum() or c in joiners for c in around)


def _ssns(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for match in SSN_TAIL_RE.finditer(text):
        start = match.start() - 3
        if start < 0 or not AREA_RE.fullmatch(text, start, match.start()):
            continue
        area, group, serial = text[start : match.end()].split("-")
        # Numbers the SSA never issues (000, 666, 9xx areas; 00 groups; 0000 serials) are placeholders.
        issued = area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
        if issued and _standalone(text, start, match.end(), "-"):
            yield start, match.end()
    if any(word in lowered for word in ("ssn", "ss#", "social security")):
        yield from (match.span() for match in SSN_KEYWORD_RE.finditer(text))


def _mbis(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for match in MBI_RE.finditer(text):
        if _standalone(text, match.start(), match.end(), "-"):
            yield match.span()


def _names_with_birth_dates(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    has_keyword = any(word in lowered for word in ("dob", "d.o.b", "birth", "born"))
    for keyword in DOB_RE.finditer(text) if has_keyword else ():  # "John Smith, DOB 03/14/1962"
        name = NAME_BEFORE_RE.search(text, max(0, keyword.start() - 60), keyword.start())
        date = DATE_AFTER_RE.match(text, keyword.end())
        if name and date:
            yield name.start(), date.end()
    for anchor in LABELLED_NAME_RE.finditer(text):  # "Patient: Jane Doe, 3/14/62"
        label = LABEL_BEFORE_RE.search(text, max(0, anchor.start() - 30), anchor.start())
        rest = NAME_THEN_DATE_RE.match(text, anchor.start()) if label else None
        if label and rest:
            yield label.start(), rest.end()


def _record_numbers(text: str, lowered: str) -> Iterator[tuple[int, int]]:
    if any(word in lowered for word in ("mrn", "mr#", "mr #", "med rec", "medical rec", "chart")):
        yield from (match.span() for match in MRN_RE.finditer(text))


# (finder, what it looks like, how to show the format instead)
# Each finder gets the text and the text in lower case, to skip keyword searches that cannot match.
FINDERS: tuple[tuple[Callable[[str, str], Iterator[tuple[int, int]]], str, str], ...] = (
    (_ssns, "a Social Security number (SSN)", "XXX-XX-XXXX"),
    (_mbis, "a Medicare Beneficiary Identifier (MBI)", "XXXX-XXX-XXXX"),
    (_names_with_birth_dates, "a person's name with a date of birth", "Patient A, DOB MM/DD/YYYY"),
    (_record_numbers, "a medical record number (MRN)", "MRN XXXXXXX"),
)


def find_phi(text: str) -> list[tuple[int, str, str]]:
    """(offset, what it looks like, placeholder) of each stretch of text that looks like patient data."""
    lowered = text.lower()
    found_spans = sorted(
        (start, end, what, placeholder) for finder, what, placeholder in FINDERS for start, end in finder(text, lowered)
    )
    found, reported_end = [], -1
    for start, end, what, placeholder in found_spans:
        if start >= reported_end:  # one finding per stretch, even when two finders match it
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
