"""How many CPUs kb may use for work shared out to other processes."""

from __future__ import annotations

import os
import threading


def cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a worker may be forked: the system forks, and this process runs no other thread
    (forking one that does, as `mkdocs serve` does, can deadlock the child)."""
    return hasattr(os, "fork") and threading.active_count() == 1
