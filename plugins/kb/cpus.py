"""How many CPUs kb may use for work shared out to other processes."""

from __future__ import annotations

import os


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
