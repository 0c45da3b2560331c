"""Make a note page's HTML inert: nothing a note's author writes runs in a reader's browser.

Markdown passes raw HTML through (`<script>`, `onerror=`, `[x](javascript:...)`); Obsidian strips
it when it shows a note, and so does the site, with the allow-list sanitizer nh3 (Ammonia).
"""

from __future__ import annotations

import html

import nh3

# What Python-Markdown, its extensions, Pygments, Material and kb write; nothing that runs or loads.
TAGS = nh3.ALLOWED_TAGS | {"section", "input", "label", "tfoot"}
ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "*": {"class", "id", "title", "lang", "dir", "role", "tabindex", "style", "data-search-exclude"},
    "a": {"href", "hreflang", "name", "target"},
    "img": {"src", "alt", "width", "height", "align", "loading"},
    "input": {"type", "checked", "disabled"},
    "label": {"for"},
    "details": {"open"},
    "ol": {"start", "type"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _attribute(tag: str, name: str, value: str) -> str:
    # Material's tooltips (content.tooltips) insert a title as HTML: keep its markup as text.
    return html.escape(value, quote=False) if name == "title" else value


def sanitize(page_html: str) -> str:
    """`page_html` without scripts, event handlers, `javascript:` URLs or foreign elements."""
    return nh3.clean(
        page_html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        link_rel=None,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align", "width", "height"},
        generic_attribute_prefixes={"aria-"},
    )
