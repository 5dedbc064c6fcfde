"""CPU time of repeated calls, the one measure every benchmark here reports.

CPU time (``time.process_time``) rather than wall time, so that other processes on the
shared machine disturb the figures less.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def cpu_times(function: Callable[[], Any], repeat: int) -> list[float]:
    """The CPU time of each of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return times


def best(function: Callable[[], Any], repeat: int = 3) -> float:
    """The smallest CPU time of ``repeat`` calls, in seconds."""
    return min(cpu_times(function, repeat))


def median_cpu(function: Callable[[], Any], repeat: int = 3) -> float:
    """The median CPU time of ``repeat`` calls, in seconds."""
    return statistics.median(cpu_times(function, repeat))
