"""Pickle frozen dataclasses fast, as a call of the class with their fields.

Python's own way for a slots dataclass looks its fields up again for every object it pickles or
unpickles; the files under `.kb-cache/` hold a few hundred thousand such objects.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Make `cls` (a dataclass with at least two fields set by its constructor) pickle as `cls(*fields)`."""
    values = operator.attrgetter(*(field.name for field in dataclasses.fields(cls) if field.init))

    def reduce(self: T) -> tuple[Any, ...]:
        return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls
