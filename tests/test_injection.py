"""Hostile note content never runs in the built site: HTML pages, the search index, graph.json.

Payloads go into every user-written field (title, description, aliases, tags, link labels and
targets, headings, abbreviations, image alt text). The site is built with the project's own
mkdocs.yml (Material, search, content.tooltips) and every output is parsed, not grepped.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import kb.plugin
import kb.sanitizer
import pytest
from harness import build_site, page_text, write_vault

REPO = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MD_LINK = "[click](javascript:alert(1))"
PAYLOAD = f"{SCRIPT} {IMG} {MD_LINK}"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
ACTIVE_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

EVIL = f"""---
title: 'T {PAYLOAD}'
description: 'D EVL {PAYLOAD}'  # EVL is explained in a tooltip in the glossary too
aliases: ['A {PAYLOAD}', 'javascript:alert(1)']
tags: ['{PAYLOAD}', 'javascript:alert(1)']
abbr:
  EVL: '{PAYLOAD}'
---
# Heading {PAYLOAD}

## Section {IMG}

Uses EVL and ABR here.

*[ABR]: {PAYLOAD}

[[good|L {SCRIPT} {IMG}]] [[good|javascript:alert(1)]] [[good|{MD_LINK}]] [[good#H {IMG}]]
[[missing {IMG}]] [[A {SCRIPT} {IMG}]] [[javascript:alert(1)]] [[good#^{IMG}]]

[md](javascript:alert(1)) [spaced]( javascript:alert(1) ) <a href="javascript:alert(1)" onclick="alert(1)">raw</a>
<img src="x" onerror="alert(1)"> {SCRIPT} <iframe src="javascript:alert(1)"></iframe>
[titled](good.md "{IMG}")

![[pic.png|{IMG}]]

![[good#H]]
"""
GOOD = f"""---
title: Good
---
# Good

## H

EVL: [[evil]] and [[evil#Heading {PAYLOAD}]] and [[evil|{MD_LINK}]] and [[A {PAYLOAD}]]
"""


class Inertness(HTMLParser):
    """Collects everything in an HTML text that could run script: what a browser would execute."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        if tag in ACTIVE_TAGS:
            self.problems.append(f"{self.where}: <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{self.where}: <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and re.sub(r"[\x00-\x20]", "", value).lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.problems.append(f"{self.where}: <{tag} {name}={value!r}>")
            if tag == "script" and "alert" in value:
                self.problems.append(f"{self.where}: <script {name}={value!r}>")
            if name == "title" and has_markup(value):  # Material's tooltips insert titles as HTML
                self.problems.append(f"{self.where}: <{tag} title={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert" in data:
            self.problems.append(f"{self.where}: <script>{data[:80]}")


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def has_markup(text: str) -> bool:
    parser = Markup()
    parser.feed(text)
    return bool(parser.tags)


def dangers(html: str, where: str) -> list[str]:
    parser = Inertness(where)
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.fixture(scope="module", params=["in this process", "in the sanitizer worker"])
def hostile_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_vault(
        root,
        {"evil.md": EVIL, "good.md": GOOD, "pic.png": b"\x89PNG\r\n\x1a\n"},
        (REPO / "mkdocs.yml").read_text(encoding="utf-8"),
    )
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "in the sanitizer worker":
            patch.setattr(kb.plugin, "BACKGROUND_FROM", 0)
            patch.setattr(kb.plugin, "cpus", lambda: 2)
        return build_site(root)


def test_no_page_runs_note_content(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 3
    problems = [p for page in pages for p in dangers(page.read_text(encoding="utf-8"), page.name)]
    assert problems == []


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("evil/index.html", f"T {PAYLOAD}"),  # the title, as text
        ("good/index.html", f"L {SCRIPT} {IMG}"),  # a link label
        ("good/index.html", f"T {PAYLOAD}"),  # a link to the hostile note shows its title
        ("evil/index.html", f"[[missing {IMG}]]"),  # a broken link shows what was written
    ],
)
def test_user_text_is_shown_not_interpreted(hostile_site: Path, page: str, shown: str) -> None:
    assert shown in page_text((hostile_site / page).read_text(encoding="utf-8"))


def test_search_index_is_inert(hostile_site: Path) -> None:
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any(doc["location"].startswith("evil/") for doc in docs)
    problems = []
    for doc in docs:
        where = f"search index {doc['location']}"
        problems += dangers(doc["title"], where) + dangers(doc["text"], where)
        # Material's search results insert titles, texts and tags as HTML.
        problems += [f"{where}: tag {tag!r}" for tag in doc.get("tags", []) if has_markup(tag)]
    assert problems == []


def test_graph_json_is_inert(hostile_site: Path) -> None:
    """graph.json carries titles as data: no raw markup in the file, and the page inserts them only as text."""
    raw = (hostile_site / "graph.json").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw  # escaped as \\u003c, so the file cannot close a script element
    title = json.dumps(f"T {PAYLOAD}", ensure_ascii=False)
    assert title in json.dumps(json.loads(raw), ensure_ascii=False)  # the title itself survives, as text
    script = (REPO / "plugins/kb/assets/graph/graph.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


ORDINARY = """---
title: Ordinary markup
description: Every construct a note uses, to check the sanitizer keeps them.
abbr:
  CPT: Current Procedural Terminology
---
# Ordinary markup

A [[good]] link, a [[good#H|labelled one]], **bold**, *em*, `code`, ~~struck~~ and a CPT & AT&T abbr.

| left | centre | right |
|:-----|:------:|------:|
| a    | b      | c     |

```python
print("hello")  # a comment
```

!!! note "An admonition"
    With a [link](good.md#h) and an image ![alt](pic.png){ width="40" }.

??? tip "Details"
    Hidden text.

<details markdown="1"><summary>Raw details</summary>
Inside *details*.
</details>

A paragraph with a block id. ^para-1

![[good#H]]

*[HTML]: Hyper Text Markup Language
HTML here, and a [titled link](good.md "A title").
"""


def test_sanitizer_keeps_ordinary_notes_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped notes plus a note of every construct render the same with and without sanitizing."""
    write_vault(tmp_path, {"ordinary.md": ORDINARY, "good.md": "# Good\n\n## H\n\nText.\n", "pic.png": b"x"})
    shutil.copytree(REPO / "notes", tmp_path / "notes", dirs_exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    sanitized = articles(build_site(tmp_path))
    monkeypatch.setattr(kb.sanitizer, "sanitize", lambda html: html)  # the vault is small: no worker
    raw = articles(build_site(tmp_path))
    assert raw.keys() == sanitized.keys() and len(raw) > 3
    assert {page: tree for page, tree in sanitized.items() if tree != raw[page]} == {}


class Tree(HTMLParser):
    """Elements, attributes and text of an HTML fragment, for comparing two serialisations."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, *sorted(f"{k}={self.value(k, v or '')}" for k, v in attrs)))

    @staticmethod
    def value(name: str, value: str) -> str:
        # A title is escaped once more on purpose: Material's tooltips insert it as HTML.
        return css(value) if name == "style" else html.unescape(value) if name == "title" else value

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:  # `<img />` and `<img>` are the same element
            self.items.append(("/" + tag,))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append((" ".join(data.split()),))


def css(style: str | None) -> str:
    """A style attribute without the spaces and final semicolon that serialisers add or drop."""
    return re.sub(r"\s+", "", style or "").rstrip(";")


def articles(site: Path) -> dict[str, list[tuple[str, ...]]]:
    found = {}
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        start, end = html.find("<article"), html.find("</article>")
        if start >= 0:
            tree = Tree()
            tree.feed(html[start:end])
            found[page.relative_to(site).as_posix()] = tree.items
    return found
