"""Pause Python's cycle collector while a vault is loaded and analysed."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the collector: that work builds many long-lived objects that are freed together later,
    and the collector would walk them again and again for nothing (a fifth of the time of a large check).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
