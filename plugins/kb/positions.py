"""Line and column of frontmatter keys and values, for precise messages."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import yaml

from kb.notes import YAML_LOADER
from kb.wikilinks import frontmatter_bounds

KeyPath = Sequence[str | int]  # keys and list indexes from the top of the frontmatter, e.g. ("codes", 2)


class FrontmatterPositions:
    """Where each key and value of a note's frontmatter is written; composed only when asked."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _composed(self) -> tuple[yaml.Node | None, int]:
        bounds = frontmatter_bounds(self.text)
        if bounds is None:
            return None, 1
        first_line = self.text.count("\n", 0, bounds[0]) + 1
        try:
            return yaml.compose(self.text[bounds[0] : bounds[1]], Loader=YAML_LOADER), first_line
        except yaml.YAMLError:
            return None, first_line

    def _nodes(self, path: KeyPath) -> tuple[yaml.Node, yaml.Node] | None:
        """(key node, value node) of the last step of `path`; for a list item both are the item."""
        node, found = self._composed[0], None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(step)]
                if not pairs:
                    return None
                found = pairs[-1]  # YAML keeps the last of duplicate keys
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                found = (node.value[step], node.value[step])
            else:
                return None
            node = found[1]
        return found

    def _place(self, node: yaml.Node | None) -> tuple[int, int]:
        if node is None:
            return self._composed[1], 1
        return self._composed[1] + node.start_mark.line, node.start_mark.column + 1

    def key(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the key at `path` (of the item, for a list item); else the first key."""
        nodes = self._nodes(path)
        return self._place(nodes[0] if nodes else None)

    def value(self, path: KeyPath) -> tuple[int, int]:
        """Line and column of the value at `path`; the key's place if the value is empty."""
        nodes = self._nodes(path)
        if nodes is None:
            return self._place(None)
        key, value = nodes
        empty = isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and not value.value
        return self._place(key if empty else value)

    def source(self, path: KeyPath) -> str | None:
        """The scalar at `path` exactly as written (without quotes), e.g. '00100' that YAML read as 64."""
        nodes = self._nodes(path)
        return nodes[1].value if nodes and isinstance(nodes[1], yaml.ScalarNode) else None

    @property
    def has_frontmatter(self) -> bool:
        return frontmatter_bounds(self.text) is not None
