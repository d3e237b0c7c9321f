"""Latency per call over the run, from the per-second sums the recorder keeps (`ms|<call>`:
milliseconds from the intended time, `n|<call>`: requests, per second of wall time). Pure."""

from __future__ import annotations

__all__ = ["COUNT", "POINTS", "SUM", "latency_over_time"]

SUM, COUNT = "ms|", "n|"  # series name prefixes, followed by the call's name
POINTS = 60  # at most this many windows over the run


def latency_over_time(series: dict[str, list[int]]) -> dict[str, tuple[list[float], list[float]]]:
    """Per call: (window midpoints in wall seconds, mean milliseconds in each window that had
    requests)."""
    found = {}
    for name, sums in series.items():
        if not name.startswith(SUM):
            continue
        call = name[len(SUM) :]
        counts = series.get(COUNT + call, [])
        found[call] = _windows(sums, counts)
    return found


def _windows(sums: list[int], counts: list[int]) -> tuple[list[float], list[float]]:
    width = max(1, -(-len(counts) // POINTS))
    xs, ys = [], []
    for start in range(0, len(counts), width):
        n = sum(counts[start : start + width])
        if n:
            xs.append(start + width / 2)
            ys.append(max(sum(sums[start : start + width]) / n, 0.001))
    return xs, ys
