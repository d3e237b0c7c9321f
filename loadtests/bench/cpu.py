"""CPU used by the hub and by Locust during a run's measured window (Linux /proc).

A background thread samples cumulative CPU seconds; the share of one core over a window is the
difference between the samples nearest its ends, divided by its length. It tells whether the
hub was busy (the figures are the hub's) or the load generator was (they are Locust's).
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["CpuSampler", "cpu_stall_seconds", "group_cpu_seconds", "process_cpu_seconds"]

PROC = Path("/proc")
PRESSURE = PROC / "pressure" / "cpu"


def _stat_fields(stat: Path) -> list[str] | None:
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # the process ended meanwhile, or there is no /proc


def _seconds(fields: list[str]) -> float:
    """utime + stime (fields 14 and 15 of stat, 11 and 12 after the command name)."""
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float | None:
    fields = _stat_fields(PROC / str(pid) / "stat")
    return None if fields is None else _seconds(fields)


def group_cpu_seconds(group: int) -> float | None:
    """CPU seconds of the live processes of a process group (a server and its workers)."""
    if not PROC.is_dir():
        return None
    total = 0.0
    for stat in PROC.glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields is not None and int(fields[2]) == group:
            total += _seconds(fields)
    return total


def cpu_stall_seconds() -> float | None:
    """Seconds, machine-wide, during which some runnable task waited for a core (Linux PSI,
    `some` total): its share of a window shows how much other work competed for the cores."""
    try:
        some = PRESSURE.read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    total = some.rsplit("total=", 1)
    return int(total[1]) / 1_000_000 if len(total) == 2 else None


class CpuSampler:
    """Samples named CPU counters every `interval` seconds while in a `with` block."""

    def __init__(
        self, counters: Mapping[str, Callable[[], float | None]], interval: float = 0.25
    ) -> None:
        self._counters = counters
        self._interval = interval
        self._samples: dict[str, list[tuple[float, float]]] = {name: [] for name in counters}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.time()
            for name, read in self._counters.items():
                value = read()
                if value is not None:
                    self._samples[name].append((now, value))
            self._stop.wait(self._interval)

    def share(self, name: str, start: float, end: float) -> float | None:
        """Share of one core used by `name` between two wall-clock times (epoch seconds)."""
        samples = self._samples[name]
        times = [t for t, _ in samples]
        first = min(bisect.bisect_left(times, start), len(samples) - 1)
        last = min(bisect.bisect_left(times, end), len(samples) - 1)
        if first < 0 or last <= first:
            return None
        (t0, c0), (t1, c1) = samples[first], samples[last]
        return (c1 - c0) / (t1 - t0)
