"""The frontmatter schema: required keys, types, unknown keys, each at its line and column."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from kb.diagnostics import format_text
from kb.notes import parse_note
from kb.positions import FrontmatterPositions
from kb.schema import check_frontmatter, describe_type, is_valid, note_keys, schema

from tests.conftest import REPO

GOOD = (
    "---\ntitle: CPT\ndescription: The AMA's code set.\naliases: [CPT code, 835]\ntags: [code-sets]\n"
    'codes: ["99213"]\nabbr:\n  CPT: Current Procedural Terminology\nsources: [AMA]\nlast_reviewed: 2026-11-01\n'
    "search: {boost: 2}\nhide: [toc]\n---\n# CPT\n"
)


def problems(text: str) -> list[str]:
    note, parse_problems = parse_note("a.md", text.encode())
    assert parse_problems == []
    found = sorted(check_frontmatter(note, FrontmatterPositions(note.text)), key=lambda d: d.sort_key())
    return [format_text(d) for d in found]


def test_the_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_a_complete_note_passes() -> None:
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    ("frontmatter", "expected"),
    [
        (
            "title: A\ndescripton: typo\n",
            [
                "a.md:3:1: error[frontmatter-schema]: missing required key 'description'; "
                "is 'descripton' a misspelling of it?",
                "a.md:3:1: warning[unknown-key]: unknown key 'descripton'; did you mean 'description'?",
            ],
        ),
        (
            "title: A\ndescription: d\nowner: Jo\n",
            [
                "a.md:4:1: warning[unknown-key]: unknown key 'owner'; remove it, or use one of: title, "
                "description, aliases, tags, codes, abbr, sources, last_reviewed"
            ],
        ),
        (
            "title: A\n",
            [
                "a.md:2:1: error[frontmatter-schema]: missing required key 'description'; add a line 'description: …' "
                "to the frontmatter with one sentence (under ~160 characters), shown in the glossary and search results"
            ],
        ),
        (
            "title: A\ndescription:\n",
            [
                "a.md:3:1: error[frontmatter-schema]: 'description' is empty; write it like: description: The AMA's "
                "five-character code set for reporting medical, surgical and diagnostic services."
            ],
        ),
        (
            "title: A\ndescription: ''\n",
            [
                "a.md:3:1: error[frontmatter-schema]: 'description' is empty; write one sentence (under ~160 "
                "characters), shown in the glossary and search results"
            ],
        ),
        (
            "title: A\ndescription: d\ntags: claims\n",
            [
                "a.md:4:1: error[frontmatter-schema]: 'tags' must be a list of text, not text; "
                "write it as a list: tags: [claims]"
            ],
        ),
        (
            "title: A\ndescription: d\naliases: [TOB, 0111, yes, '']\n",
            [
                "a.md:4:16: error[frontmatter-schema]: entry 2 of 'aliases' must be text, but YAML reads 0111 as the "
                'number 73; put it in quotes: "0111"',
                "a.md:4:22: error[frontmatter-schema]: entry 3 of 'aliases' must be text, but YAML reads yes as true; "
                'put it in quotes: "yes"',
                "a.md:4:27: error[frontmatter-schema]: entry 4 of 'aliases' is empty; fill it in or remove it",
            ],
        ),
        (
            "title: A\ndescription: d\ncodes:\n  - 00100\n",
            [
                "a.md:5:5: error[frontmatter-schema]: entry 1 of 'codes' must be text, but YAML reads 00100 as the "
                'number 64; put it in quotes: "00100"'
            ],
        ),
        (
            "title: A\ndescription: d\nabbr:\n  CPT: [a]\n  2023: year\n",
            [
                "a.md:5:8: error[frontmatter-schema]: 'CPT' in 'abbr' must be text, not a list; "
                "write it like: abbr: {CPT: Current Procedural Terminology}",
                "a.md:6:3: error[frontmatter-schema]: key '2023' in 'abbr' must be text, not a number; "
                'put it in quotes: "2023"',
            ],
        ),
        (
            "title: A\ndescription: d\nlast_reviewed: 2026-13-01\n",
            [
                "a.md:4:1: error[frontmatter-schema]: 'last_reviewed' must be a date written YYYY-MM-DD, not "
                "'2026-13-01'; write it like: last_reviewed: 2026-11-23"
            ],
        ),
        (
            "title: A\ndescription: d\nlast_reviewed: November 2026\n",
            [
                "a.md:4:1: error[frontmatter-schema]: 'last_reviewed' must be a date written YYYY-MM-DD, not "
                "'November 2026'; write it like: last_reviewed: 2026-11-23"
            ],
        ),
        (
            "title: A\ndescription: d\nsearch: {boots: 2}\nhide: [tocs]\n",
            [
                "a.md:4:10: warning[unknown-key]: unknown key 'boots' in 'search'; did you mean 'boost'?",
                "a.md:5:8: error[frontmatter-schema]: entry 1 of 'hide' must be one of navigation, toc, footer, path, "
                "tags, feedback, edit, actions, not 'tocs'; did you mean 'toc'?",
            ],
        ),
    ],
)
def test_frontmatter_problems(frontmatter: str, expected: list[str]) -> None:
    assert problems(f"---\n{frontmatter}---\n# A\n") == expected


def test_a_note_without_frontmatter_is_told_how_to_start_one() -> None:
    hint = (
        "the note has no frontmatter: start the file with a '---' line, 'title: …', 'description: …' and another "
        "'---' line (`kb new` writes one for you)"
    )
    assert problems("# Just text\n") == [
        f"a.md:1:1: error[frontmatter-schema]: missing required key 'title'; {hint}",
        f"a.md:1:1: error[frontmatter-schema]: missing required key 'description'; {hint}",
    ]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("tag", "tags"),
        ("alias", "aliases"),
        ("source", "sources"),
        ("last-reviewed", "last_reviewed"),
        ("Codes", "codes"),
    ],
)
def test_did_you_mean_for_common_typos(typo: str, meant: str) -> None:
    assert f"did you mean '{meant}'?" in problems(f"---\ntitle: A\ndescription: d\n{typo}: x\n---\n")[0]


def test_kb_new_writes_every_note_key() -> None:
    assert list(note_keys()) == ["title", "description", "aliases", "tags", "codes", "abbr", "sources", "last_reviewed"]


def frontmatter_table() -> str:
    """The README's frontmatter table, generated from the schema."""
    spec = schema()
    rows = ["| key | required | type | what it is |", "|---|---|---|---|"]
    for key, item in spec["properties"].items():
        required = "yes" if key in spec["required"] else "no"
        rows.append(f"| `{key}` | {required} | {describe_type(item)} | {item['description']} |")
    return "\n".join(rows)


def test_readme_documents_the_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"^\| key \| required \| type \| what it is \|\n(?:\|.*\n)+", readme, re.MULTILINE)
    assert documented is not None, "README.md needs the frontmatter table; paste:\n" + frontmatter_table()
    assert documented.group().strip() == frontmatter_table(), "update README.md's table to:\n" + frontmatter_table()


# Values at the edges of the schema's types, formats and enums.
TRICKY = [None, True, 0, 2.5, "", " ", "x", "2026-11-01", "2026-02-30", "2026-W01-1", "20261101", "2026-1-01"]
TRICKY += ["2026-11-01\n", "２０２６-11-01", "2026-11-01T10:00", "0000-01-01", "2024-02-29", "2025-02-29"]
TRICKY += ["draft", "reviewed", "toc", "navigation", [], [""], ["x"], [1], [None], {}, {"": "x"}, {"x": ""}, {"x": 1}]
# Any YAML value, with the texts the schema's formats and enums care about.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(TRICKY),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
PROPERTIES = schema()["properties"]
EXAMPLES = {key: spec["examples"] for key, spec in PROPERTIES.items() if spec.get("examples")}
VALID = st.fixed_dictionaries(
    {"title": st.just("CPT"), "description": st.just("A note.")},
    optional={key: st.sampled_from(values) for key, values in EXAMPLES.items() if key not in ("title", "description")},
)
# Valid frontmatter, or valid frontmatter with one key set to anything: both verdicts are common.
FRONTMATTER = VALID | st.builds(
    lambda valid, key, value: {**valid, key: value}, VALID, st.sampled_from([*PROPERTIES, "titel"]), ANY_VALUE
)


VALIDATOR = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_fast_validity_check_agrees_with_jsonschema_at_the_edges() -> None:
    """Valid notes skip jsonschema: the compiled check must never pass what jsonschema rejects, or the reverse."""
    for key in [*PROPERTIES, "titel"]:
        for value in TRICKY:
            frontmatter = {"title": "CPT", "description": "A note.", key: value}
            assert is_valid(frontmatter) == VALIDATOR.is_valid(frontmatter), frontmatter


@given(FRONTMATTER)
def test_the_fast_validity_check_agrees_with_jsonschema(frontmatter: dict[str, object]) -> None:
    assert is_valid(frontmatter) == VALIDATOR.is_valid(frontmatter)
