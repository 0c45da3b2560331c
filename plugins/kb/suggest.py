"""Did-you-mean: the few names closest to a misspelt one, at a cost that does not grow with the vault.

Scoring every known name for every broken link costs (broken links x names), which grows with the
square of the vault. Instead a trigram index shortlists the names that share the most of the
query's rarest trigrams, reading a fixed number of index entries per query, and only that
shortlist is scored with RapidFuzz's WRatio, exactly as a full scan would score it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

Owner = TypeVar("Owner")
SEPARATORS = str.maketrans("-_/.", "    ")  # `hcpcs-level-ii` and `HCPCS Level II` share their trigrams
SHORTLIST = 100  # names scored per query
POSTINGS_READ = 4000  # index entries read per query, rarest trigrams first


def closest(query: str, choices: list[str], limit: int = 3, cutoff: float = 70, margin: float = 3) -> list[int]:
    """Indexes of the choices nearest to `query` by WRatio: at least `cutoff`, within `margin` of the best."""
    from rapidfuzz import fuzz, process  # imported on the first suggestion: most checks make none

    found = process.extract(query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    return [index for _, score, index in found if score >= found[0][1] - margin]


def nearest(name: str, known: Iterable[str], cutoff: float) -> str | None:
    """The one of `known` closest to a misspelt `name` by WRatio, case and punctuation ignored, if at least `cutoff`."""
    from rapidfuzz import fuzz, process, utils

    choices = list(known)
    found = process.extractOne(name, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=cutoff)
    return found[0] if found else None


def trigrams(text: str) -> set[str]:
    """The three-character pieces of `text`, padded so that word starts and ends count."""
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Suggester(Generic[Owner]):
    """Fuzzy lookup of `keys` (already case-folded), each belonging to an owner."""

    def __init__(self, keys: Sequence[str], owners: Sequence[Owner]) -> None:
        self.keys, self.owners = keys, owners
        forms: dict[str, list[int]] = {}  # a name and its title often differ only in separators
        for number, key in enumerate(keys):
            forms.setdefault(key.translate(SEPARATORS), []).append(number)
        self.forms = list(forms.values())
        self.postings: defaultdict[str, list[int]] = defaultdict(list)
        for form, text in enumerate(forms):
            for gram in trigrams(text):
                self.postings[gram].append(form)
        self.memo: dict[tuple[str, int, float, float], list[Owner]] = {}

    def shortlist(self, query: str) -> list[int]:
        """Numbers of the keys sharing the most trigrams with `query`, in key order."""
        grams = sorted(trigrams(query.translate(SEPARATORS)))  # so that ties below do not depend on hashing
        lists = sorted((self.postings.get(gram, []) for gram in grams), key=len)  # rarest first
        counts: Counter[int] = Counter()
        budget = POSTINGS_READ
        for posting in lists:
            if budget <= 0:
                break
            counts.update(posting[:budget])
            budget -= len(posting)
        # most_common(SHORTLIST) ranks as this stable sort does (ties keep their order), in slower Python
        ranked = sorted(counts, key=counts.__getitem__, reverse=True)[:SHORTLIST]
        return sorted(number for form in ranked for number in self.forms[form])

    def best(self, query: str, limit: int = 3, cutoff: float = 70, margin: float = 3) -> list[Owner]:
        """Up to `limit` owners of the keys closest to `query`: WRatio >= cutoff, within `margin` of the best."""
        memo_key = (query, limit, cutoff, margin)
        if memo_key not in self.memo:
            numbers = self.shortlist(query)
            found: list[Owner] = []
            for position in closest(query, [self.keys[n] for n in numbers], limit * 4, cutoff, margin):
                owner = self.owners[numbers[position]]
                if owner not in found:
                    found.append(owner)
            self.memo[memo_key] = found[:limit]
        return self.memo[memo_key]
