"""Find text that looks like protected health information: notes are public and never carry patient data.

Each finder looks for a cheap anchor first (digits in a fixed shape, a keyword) and checks the context
around it only there, so a note is read a few times at regex speed, not once per position and pattern.
An anchor pattern starts with a literal character: the regex engine then skips ahead to it, where a
pattern that starts with a character class (`[1-9]`, a case-insensitive word) is tried at every offset.
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
LABELLED_NAME_RES = (re.compile(r":[ \t]*[A-Z][a-z]"), re.compile(r"#[ \t]*[A-Z][a-z]"))
LABELS = ("patient", "pt", "name", "member", "beneficiary", "insured", "subscriber")  # words before a name
LABEL_BEFORE_RE = re.compile(rf"(?i:\b(?:{'|'.join(LABELS)})(?:{_S}+name)?){_S}*$")
NAME_THEN_DATE_RE = re.compile(rf"[:#]{_S}*(?:{_FULL_NAME})[^\n]{{0,80}}?(?:{_DATE})")
MRN_RE = re.compile(
    rf"(?i:\b(?:MRN|MR{_S}?#|med(?:ical)?{_S}+rec(?:ord)?{_S}*(?:number|no\.?|#)|chart{_S}*(?:number|no\.?|#)))"
    rf"{_S}*(?:is{_S}+)?[:#]?{_S}*[A-Z]{{0,3}}-?[0-9]{{5,}}\b"
)
# Where the keywords of the patterns above can start, in the text in lower case (`find_phi`); one pass
# of each costs what one `word in text` test does.
SSN_KEYWORD_AT = (re.compile(r"s(?:sn|s#|ocial)"),)
DOB_AT = (re.compile(r"d(?:ob|\.o|ate)"), re.compile(r"b(?:irth|orn)"))
MRN_AT = (re.compile(r"m(?:rn|r[ \t]?#|ed)"), re.compile(r"chart"))
# An MBI starts with a digit 1-9 and one of its letters: in the text's ASCII bytes mapped so, "1a".
_MBI_LETTERS = bytes(c for c in range(128) if re.fullmatch(f"[{_L}]", chr(c)))
MBI_SHAPE = bytes.maketrans(b"123456789" + _MBI_LETTERS, b"1" * 9 + b"a" * len(_MBI_LETTERS))
MBI_AT = re.compile(b"1a")


def _matches(pattern: re.Pattern[str], starts: list[int], text: str) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds, given every offset at which a match can start."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            yield match
            end = match.end()


def _keyword_matches(
    pattern: re.Pattern[str], anchors: tuple[re.Pattern[str], ...], text: str, lowered: str | None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that starts with a case-insensitive keyword, tried only
    where one of its `anchors` matches `lowered` (None: the text has no lower case with the same offsets)."""
    if lowered is None:
        return pattern.finditer(text)
    starts = sorted({match.start() for anchor in anchors for match in anchor.finditer(lowered)})
    return _matches(pattern, starts, text)


def _standalone(text: str, start: int, end: int, joiners: str) -> bool:
    """No letter, digit or `joiners` character right before `start` or right after `end`."""
    around = text[start - 1 : start] + text[end : end + 1]
    return not any(c.isalnum() or c in joiners for c in around)


def _ssns(text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
    for match in SSN_TAIL_RE.finditer(text):
        start = match.start() - 3
        if start < 0 or not AREA_RE.fullmatch(text, start, match.start()):
            continue
        area, group, serial = text[start : match.end()].split("-")
        # Numbers the SSA never issues (000, 666, 9xx areas; 00 groups; 0000 serials) are placeholders.
        issued = area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
        if issued and _standalone(text, start, match.end(), "-"):
            yield start, match.end()
    yield from (match.span() for match in _keyword_matches(SSN_KEYWORD_RE, SSN_KEYWORD_AT, text, lowered))


def _mbis(text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
    # One byte per character ("?" for any other than ASCII), so the offsets are the text's.
    shape = text.encode("ascii", "replace").translate(MBI_SHAPE)
    for match in _matches(MBI_RE, [at.start() for at in MBI_AT.finditer(shape)], text):
        if _standalone(text, match.start(), match.end(), "-"):
            yield match.span()


def _names_with_birth_dates(text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
    for keyword in _keyword_matches(DOB_RE, DOB_AT, text, lowered):  # "John Smith, DOB 03/14/1962"
        name = NAME_BEFORE_RE.search(text, max(0, keyword.start() - 60), keyword.start())
        date = DATE_AFTER_RE.match(text, keyword.end())
        if name and date:
            yield name.start(), date.end()
    for anchor in (match for labelled in LABELLED_NAME_RES for match in labelled.finditer(text)):
        at = anchor.start()  # "Patient: Jane Doe, 3/14/62"
        label = LABEL_BEFORE_RE.search(text, max(0, at - 30), at) if _after_word(text, at, lowered) else None
        rest = NAME_THEN_DATE_RE.match(text, at) if label else None
        if label and rest:
            yield label.start(), rest.end()


def _after_word(text: str, at: int, lowered: str | None) -> bool:
    """Whether a label word may end right before `at`, blanks and (as `$` allows) one line end between:
    a quick test before LABEL_BEFORE_RE."""
    if text[at - 1 : at] in "#":  # the text's start, or a heading's #s
        return False
    return lowered is None or lowered[max(0, at - 30) : at].removesuffix("\n").rstrip(" \t").endswith(LABELS)


def _record_numbers(text: str, lowered: str | None) -> Iterator[tuple[int, int]]:
    yield from (match.span() for match in _keyword_matches(MRN_RE, MRN_AT, text, lowered))


# (finder, what it looks like, how to show the format instead)
# Each finder gets the text and the text in lower case (see `find_phi`), to find keywords fast.
FINDERS: tuple[tuple[Callable[[str, str | None], Iterator[tuple[int, int]]], str, str], ...] = (
    (_ssns, "a Social Security number (SSN)", "XXX-XX-XXXX"),
    (_mbis, "a Medicare Beneficiary Identifier (MBI)", "XXXX-XXX-XXXX"),
    (_names_with_birth_dates, "a person's name with a date of birth", "Patient A, DOB MM/DD/YYYY"),
    (_record_numbers, "a medical record number (MRN)", "MRN XXXXXXX"),
)


def lower_case(text: str) -> str | None:
    """`text` in lower case, to look for keywords at its offsets; None if lower-casing moves them (İ) or
    if it has ſ or ı, which a case-insensitive pattern reads as s and i but which stay as they are."""
    lowered = text.lower()
    return None if len(lowered) != len(text) or "ſ" in lowered or "ı" in lowered else lowered


def find_phi(text: str) -> list[tuple[int, str, str]]:
    """(offset, what it looks like, placeholder) of each stretch of text that looks like patient data."""
    lowered = lower_case(text)
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
    found = find_phi(note.text)
    if not found:
        return []  # as nearly always: no need to count lines
    lines = Lines(note.text)
    return [
        diag.make(
            "phi",
            note.path,
            *lines.at(offset),
            f"possible patient data: {what}",
            f"notes are public reference material: delete it; to show the format, write {placeholder}",
        )
        for offset, what, placeholder in found
    ]
