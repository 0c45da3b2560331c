"""Check that each entry of `codes:` is a well-formed CPT, HCPCS Level II, ICD-10-CM code or modifier."""

from __future__ import annotations

import re

from kb import diagnostics as diag
from kb.diagnostics import Diagnostic
from kb.notes import Note
from kb.positions import FrontmatterPositions
from kb.schema import plain_number

# (code set, pattern, shape in words, example); the shapes are what the check's message names.
CODE_SETS: tuple[tuple[str, str, str, str], ...] = (
    ("CPT Category I", r"\d{5}", "5 digits", "99213"),
    ("CPT Category II", r"\d{4}F", "4 digits + F", "0001F"),
    ("CPT Category III", r"\d{4}T", "4 digits + T", "0042T"),
    ("HCPCS Level II", r"[A-V]\d{4}", "a letter A–V + 4 digits", "G0283"),
    (
        "ICD-10-CM",
        r"[A-Z]\d[A-Z0-9](?:\.?[A-Z0-9]{1,4})?",
        "letter, digit, letter or digit, then an optional dot and up to 4 letters or digits",
        "E11.9",
    ),
    ("modifier", r"[A-Z0-9]{2}", "2 letters or digits", "25"),
)
CODE_RE = re.compile("|".join(f"(?:{pattern})" for _, pattern, _, _ in CODE_SETS))
EXPECTED = "; ".join(f"{name}: {shape} ({example})" for name, _, shape, example in CODE_SETS)


def check_codes(note: Note, positions: FrontmatterPositions) -> list[Diagnostic]:
    """A `code-format` error at every text entry of `codes:` that matches no code set."""
    codes = note.meta.get("codes")
    if not isinstance(codes, list):
        return []  # missing, or the wrong type: the frontmatter schema reports that
    found = []
    for number, entry in enumerate(codes):
        number_text = positions.source(("codes", number)) if isinstance(entry, int | float) else None
        code = str(entry) if plain_number(entry, number_text) else entry
        if not isinstance(code, str) or not code or CODE_RE.fullmatch(code):
            continue
        cleaned = code.strip().upper()
        hint = f"write it as '{cleaned}'" if CODE_RE.fullmatch(cleaned) else f"expected one of {EXPECTED}"
        line, col = positions.value(("codes", number))
        found.append(diag.make("code-format", note.path, line, col, f"'{code}' is not a well-formed code", hint))
    return found
