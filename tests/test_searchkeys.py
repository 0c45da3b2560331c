"""A note's names as single tokens in Material's search index."""

from __future__ import annotations

from kb.searchkeys import BOOST, FIELD, add_search_keys, search_keys, separator_pattern

from tests.site_helpers import note

SEPARATOR = r'[\s\-,:;!?=\[\]()"\'`<>|]+|\.(?!\d)|&[lg]t;'
EM = note("e-m/evaluation-and-management.md", "E/M services", aliases=["E/M", "E/M coding", "E&M"], codes=["99213"])


def test_each_name_is_one_token_ending_in_an_underscore() -> None:
    keys = search_keys(EM, separator_pattern(SEPARATOR))
    assert keys == "E/M_services_ evaluation_and_management_ E/M_ E/M_coding_ E&amp;M_ 99213_"


def test_codes_keep_their_dots_and_a_name_given_twice_counts_twice() -> None:
    icd = note("icd.md", "ICD-10-CM", aliases=["S52.501A"], codes=["S52.501A"])
    assert search_keys(icd, separator_pattern(SEPARATOR)) == "ICD_10_CM_ icd_ S52.501A_ S52.501A_"


def test_markup_in_names_is_escaped() -> None:
    evil = note("x.md", "<script>", aliases=["a&b"])
    assert search_keys(evil, separator_pattern(r"\s+")) == "&lt;script&gt;_ x_ a&amp;b_"


def test_an_invalid_separator_falls_back_to_mkdocs_default() -> None:
    assert separator_pattern("[unclosed").pattern == r"[\s\-]+"


def test_the_field_is_added_to_note_pages_only() -> None:
    index = {
        "config": {"separator": SEPARATOR, "fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "e-m/evaluation-and-management/", "title": "E/M", "text": ""},
            {"location": "e-m/evaluation-and-management/#history", "title": "History", "text": ""},
            {"location": "glossary/", "title": "Glossary", "text": ""},
        ],
    }
    result = add_search_keys(index, {"e-m/evaluation-and-management/": EM})
    assert result["config"]["fields"] == {"title": {"boost": 1000.0}, FIELD: {"boost": BOOST}}
    assert result["docs"][0][FIELD].startswith("E/M_services_ ")
    assert FIELD not in result["docs"][1] and FIELD not in result["docs"][2]
