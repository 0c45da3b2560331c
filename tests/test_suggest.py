"""Did-you-mean through the trigram shortlist: the same answers as a full scan, in bounded work."""

from __future__ import annotations

import inspect
import random
import subprocess
import sys

import pytest
from kb import suggest
from kb.suggest import Suggester, closest
from rapidfuzz import fuzz

NAMES = [
    "cpt",
    "hcpcs-level-ii",
    "icd-10-cm",
    "modifier-25",
    "modifier-59",
    "medicare-part-b",
    "medicare-advantage",
    "prior-authorization",
    "timely-filing",
    "clean-claim",
    "x12-835",
    "x12-837",
    "carc-rarc",
    "ncci",
    "mue",
    "abn",
]


def full_scan(query: str, keys: list[str], limit: int = 3) -> list[str]:
    """What scoring every key answers (the reference): kb.resolve's own did-you-mean rule."""
    found: list[str] = []
    for index in closest(query, keys, limit * 4):
        if keys[index] not in found:
            found.append(keys[index])
    return found[:limit]


def shares_a_trigram(key: str, query: str) -> bool:
    return bool(
        suggest.trigrams(key.translate(suggest.SEPARATORS)) & suggest.trigrams(query.translate(suggest.SEPARATORS))
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hcpcs-level-2", ["hcpcs-level-ii"]),
        ("modifer-25", ["modifier-25"]),
        ("medicare part b", ["medicare-part-b"]),  # the full scan adds 'mue', which shares no trigram
        ("x12 835", ["x12-835"]),
        ("modifier", ["modifier-25", "modifier-59"]),
        ("prior-auth", ["prior-authorization"]),
        ("zzzz", []),
    ],
)
def test_small_vaults_get_the_full_scan_answer(query: str, expected: list[str]) -> None:
    reference = [key for key in full_scan(query, NAMES) if shares_a_trigram(key, query)]
    assert Suggester(NAMES, NAMES).best(query) == reference == expected


def synthetic_names(count: int) -> list[str]:
    rng = random.Random(7)
    words = [f"{a}{b}{c}" for a in "bcdfgklmnprst" for b in "aeiou" for c in "lmnrstx"][:300]
    names: set[str] = set()
    while len(names) < count:
        names.add("-".join(rng.sample(words, rng.choice((2, 3)))))
    return sorted(names)


def test_typos_in_a_large_vault_get_answers_as_good_as_a_full_scan() -> None:
    names = synthetic_names(20_000)
    finder = Suggester(names, names)
    rng = random.Random(3)
    intended = as_good = 0
    for name in rng.sample(names, 100):
        cut = rng.randrange(1, len(name) - 1)
        typo = name[:cut] + name[cut + 1 :] + "x"  # a dropped letter and a stray one
        ours, reference = finder.best(typo), full_scan(typo, names)
        intended += name in ours
        as_good += bool(ours) and fuzz.WRatio(typo, ours[0]) >= fuzz.WRatio(typo, reference[0])
    # Three-letter words make many names equally close, so a few ties go another way.
    assert intended >= 90
    assert as_good >= 93


def test_work_per_query_does_not_grow_with_the_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    names = synthetic_names(20_000)
    finder = Suggester(names, names)
    read: list[int] = []
    real_update = suggest.Counter.update

    def counting(self: suggest.Counter[int], items: list[int] | None = None, /) -> None:
        read.append(len(items or ()))
        real_update(self, items)

    monkeypatch.setattr(suggest.Counter, "update", counting)
    shortlisted = finder.shortlist("bal-kol-mix")
    assert sum(read) <= suggest.POSTINGS_READ
    assert len(shortlisted) <= suggest.SHORTLIST * max(len(numbers) for numbers in finder.forms)


def test_answers_do_not_depend_on_string_hashing() -> None:
    script = (
        f"import random\nfrom kb.suggest import Suggester\n{inspect.getsource(synthetic_names)}\n"
        "n = synthetic_names(5000)\nf = Suggester(n, n)\n"
        "print([f.best(q) for q in ('bal-kol', 'semtix', 'dor-fam-pux', 'kilmos')])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Last-Reviewed", "last_reviewed"), ("descripton", "description"), ("CHEKCS", "checks"), ("zzzz", None)],
)
def test_nearest_ignores_case_and_punctuation_and_gives_nothing_when_nothing_is_close(
    typed: str, meant: str | None
) -> None:
    known = ["title", "description", "last_reviewed", "checks", "codes"]
    assert suggest.nearest(typed, iter(known), cutoff=75) == meant
