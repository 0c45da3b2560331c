"""Recording a redirect in mkdocs.yml: a minimal text edit that keeps comments and layout."""

from __future__ import annotations

import pytest
import yaml
from kb.redirects import RedirectError, add_redirect, redirect_maps

from tests.conftest import REPO

ENTRY = "old/x.md: old/new.md"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "plugins:\n  - search  # built in\n  - kb\n\nnav: []\n",
            "plugins:\n  - search  # built in\n  - kb\n"
            f"  - redirects:\n      redirect_maps:\n        {ENTRY}\n\nnav: []\n",
        ),
        (
            "plugins:\n- search\n- redirects\n- kb\n",
            f"plugins:\n- search\n- redirects:\n    redirect_maps:\n      {ENTRY}\n- kb\n",
        ),
        (
            "plugins:\n  - redirects:\n  - kb\n",
            f"plugins:\n  - redirects:\n      redirect_maps:\n        {ENTRY}\n  - kb\n",
        ),
        (
            "plugins:\n  - redirects:\n      redirect_maps:\n  - kb\n",
            f"plugins:\n  - redirects:\n      redirect_maps:\n        {ENTRY}\n  - kb\n",
        ),
        (
            "plugins:\n  - redirects:\n      # moved\n      redirect_maps:\n        a.md: old/x.md  # note\n"
            "        old/new.md: z.md\n        b.md: c.md\n# end\n",
            f"plugins:\n  - redirects:\n      # moved\n      redirect_maps:\n        a.md: old/new.md  # note\n"
            f"        b.md: c.md\n        {ENTRY}\n# end\n",
        ),
        (
            "plugins:\n  - redirects:\n      redirect_maps:\n        old/new.md: q.md\n",
            f"plugins:\n  - redirects:\n      redirect_maps:\n        {ENTRY}\n",
        ),
        (
            "plugins:\n  - redirects: {redirect_maps: {}}\n",
            f"plugins:\n  - redirects: {{redirect_maps: {{{ENTRY}}}}}\n",
        ),
        ("plugins: [search]\n", f"plugins: [search, {{redirects: {{redirect_maps: {{{ENTRY}}}}}}}]\n"),
        (
            "site_name: x",
            f"site_name: x\nplugins:\n  - search\n  - redirects:\n      redirect_maps:\n        {ENTRY}\n",
        ),
        (
            "plugins:\n  - redirects:\n      map_file: m.yml\n",
            f"plugins:\n  - redirects:\n      map_file: m.yml\n      redirect_maps:\n        {ENTRY}\n",
        ),
    ],
)
def test_add_redirect(before: str, after: str) -> None:
    assert add_redirect(before, "old/x.md", "old/new.md") == after
    assert redirect_maps(after)["old/x.md"] == "old/new.md"


def test_paths_yaml_would_misread_are_quoted() -> None:
    text = add_redirect("plugins:\n  - redirects:\n", "a: b.md", "yes.md")
    assert '"a: b.md": yes.md' in text
    assert redirect_maps(text) == {"a: b.md": "yes.md"}


def test_tags_mkdocs_understands_are_left_alone() -> None:
    before = "plugins:\n  - kb\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify\n"
    assert add_redirect(before, "a.md", "b.md").endswith(before.split("markdown_extensions", 1)[1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plugins: [\n", "mkdocs.yml is not valid YAML"),
        ("plugins: search\n", "'plugins' is not a list"),
        ("plugins:\n  - redirects:\n      redirect_maps: [a]\n", "'redirect_maps' is not a mapping"),
    ],
)
def test_what_cannot_be_edited_is_refused(text: str, message: str) -> None:
    with pytest.raises(RedirectError, match=message):
        add_redirect(text, "a.md", "b.md")


def test_the_shipped_mkdocs_yml_has_the_redirects_plugin() -> None:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    plugins = next(v for k, v in yaml.compose(text).value if k.value == "plugins").value
    assert "redirects" in [p.value[0][0].value if isinstance(p, yaml.MappingNode) else p.value for p in plugins]
    assert redirect_maps(text) == {}
    assert redirect_maps(add_redirect(text, "a.md", "b.md")) == {"a.md": "b.md"}
