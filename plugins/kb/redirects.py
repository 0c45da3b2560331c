"""Record a moved page in mkdocs.yml (mkdocs-redirects' `redirect_maps`) by a minimal text edit.

Only the lines that change are touched, so comments, order and formatting of mkdocs.yml stay as written.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml


class RedirectError(Exception):
    """mkdocs.yml cannot take the redirect automatically; the message says what to add by hand."""


def _plain(text: str) -> str:
    """`text` as a YAML scalar: bare when YAML reads it back unchanged, else double-quoted."""
    safe = re.fullmatch(r"[\w./-][\w ./()-]*", text) and yaml.safe_load(text) == text
    return text if safe else json.dumps(text, ensure_ascii=False)


def _get(mapping: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _content_end(node: yaml.Node) -> int:
    """Offset just past the last character written for `node` (block collections end at their last child)."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    return _content_end(last[1] if isinstance(last, tuple) else last)


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


class _Edit:
    """Text replacements applied back to front, so earlier offsets stay valid."""

    def __init__(self, text: str) -> None:
        self.text, self.changes = text, list[tuple[int, int, str]]()

    def replace(self, start: int, end: int, new: str) -> None:
        self.changes.append((start, end, new))

    def insert_line_after(self, offset: int, line: str) -> None:
        end = _line_end(self.text, offset)
        self.replace(end, end, "\n" + line)

    def result(self) -> str:
        text = self.text
        for start, end, new in sorted(self.changes, reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _update_maps(edit: _Edit, maps: yaml.Node, key_node: yaml.Node, old: str, new: str) -> None:
    """Add `old: new` to an existing redirect_maps value; earlier redirects to `old` now go to `new`."""
    entry = f"{_plain(old)}: {_plain(new)}"
    if _is_null(maps):
        edit.insert_line_after(key_node.end_mark.index, " " * (key_node.start_mark.column + 2) + entry)
        return
    if not isinstance(maps, yaml.MappingNode):
        raise RedirectError("'redirect_maps' is not a mapping")
    pairs = {k.value: v.value for k, v in maps.value if isinstance(v, yaml.ScalarNode)}
    pairs = {k: (new if v == old else v) for k, v in pairs.items() if k != new}
    if maps.flow_style:
        pairs[old] = new
        flow = ", ".join(f"{_plain(k)}: {_plain(v)}" for k, v in pairs.items())
        edit.replace(maps.start_mark.index, maps.end_mark.index, "{" + flow + "}")
        return
    kept = [(k, v) for k, v in maps.value if k.value != new]
    for k, v in maps.value:
        if k.value == new:  # a real page takes that address again: its redirect must go
            start = edit.text.rfind("\n", 0, k.start_mark.index) + 1
            edit.replace(start, _line_end(edit.text, v.end_mark.index) + 1, "")
        elif v.value == old:
            edit.replace(v.start_mark.index, v.end_mark.index, _plain(new))
    anchor = _content_end(kept[-1][1]) if kept else key_node.end_mark.index
    edit.insert_line_after(anchor, " " * maps.start_mark.column + entry)


def _new_plugin(column: int, old: str, new: str) -> str:
    pad = " " * column
    return f"redirects:\n{pad}  redirect_maps:\n{pad}    {_plain(old)}: {_plain(new)}"


def add_redirect(text: str, old: str, new: str) -> str:
    """mkdocs.yml text that also redirects the page `old` (a docs path, `a/b.md`) to `new`."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise RedirectError(f"mkdocs.yml is not valid YAML: {error}") from None
    edit = _Edit(text)
    plugins = _get(root, "plugins")
    if plugins is None:
        if root is not None and not isinstance(root, yaml.MappingNode):
            raise RedirectError("mkdocs.yml is not a mapping of settings")
        ending = "" if not text or text.endswith("\n") else "\n"
        edit.replace(len(text), len(text), f"{ending}plugins:\n  - search\n  - {_new_plugin(4, old, new)}\n")
        return _verified(edit.result(), old, new)
    sequence = plugins[1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise RedirectError("'plugins' is not a list")
    for item in sequence.value:
        if isinstance(item, yaml.ScalarNode) and item.value == "redirects":
            edit.replace(item.start_mark.index, item.end_mark.index, _new_plugin(item.start_mark.column, old, new))
            return _verified(edit.result(), old, new)
        entry = _get(item, "redirects")
        if entry is None:
            continue
        key, options = entry
        maps = _get(options, "redirect_maps")
        if maps is not None:
            _update_maps(edit, maps[1], maps[0], old, new)
        elif _is_null(options):
            pad = " " * (key.start_mark.column + 2)
            edit.insert_line_after(key.end_mark.index, f"{pad}redirect_maps:\n{pad}  {_plain(old)}: {_plain(new)}")
        elif isinstance(options, yaml.MappingNode) and not options.flow_style:
            pad = " " * options.start_mark.column
            edit.insert_line_after(_content_end(options), f"{pad}redirect_maps:\n{pad}  {_plain(old)}: {_plain(new)}")
        else:
            raise RedirectError("the 'redirects' plugin options are not a block mapping")
        return _verified(edit.result(), old, new)
    if sequence.flow_style:
        close = sequence.end_mark.index - 1
        added = f"{{redirects: {{redirect_maps: {{{_plain(old)}: {_plain(new)}}}}}}}"
        edit.replace(close, close, (", " if sequence.value else "") + added)
    else:
        dash = sequence.start_mark.column
        edit.insert_line_after(_content_end(sequence), " " * dash + "- " + _new_plugin(dash + 2, old, new))
    return _verified(edit.result(), old, new)


def redirect_maps(text: str) -> dict[str, Any]:
    """The `redirect_maps` of mkdocs.yml's `redirects` plugin ({} when there is none)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    plugins = _get(root, "plugins")
    for item in plugins[1].value if plugins and isinstance(plugins[1], yaml.SequenceNode) else []:
        entry = _get(item, "redirects")
        maps = _get(entry[1], "redirect_maps") if entry else None
        if maps and isinstance(maps[1], yaml.MappingNode):
            return {k.value: v.value for k, v in maps[1].value}
    return {}


def _verified(text: str, old: str, new: str) -> str:
    """The edited text, after checking that it reads back with the redirect in place."""
    try:
        maps = redirect_maps(text)
    except yaml.YAMLError:
        maps = {}
    if maps.get(old) != new or old in maps.values():
        raise RedirectError("the edit could not be verified")
    return text
