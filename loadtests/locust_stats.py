"""Read what Locust reports: the `PREFIX_stats.csv` of a headless run. Pure.

Per request name and for the Aggregated row: requests, failures, requests/s and the response
time percentiles as Locust computes them (its median is the 50% column; times in ms).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CallStats", "RunStats", "parse_stats", "read_stats"]

AGGREGATED = "Aggregated"


@dataclass(frozen=True, slots=True)
class CallStats:
    name: str
    method: str
    requests: int
    failures: int
    rps: float
    p50: float | None
    p99: float | None


@dataclass(frozen=True, slots=True)
class RunStats:
    total: CallStats
    calls: tuple[CallStats, ...]

    def call(self, name: str) -> CallStats | None:
        return next((c for c in self.calls if c.name == name), None)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "N/A" when there were no requests
        return None


def _row(row: dict[str, str]) -> CallStats:
    return CallStats(
        name=row["Name"],
        method=row["Type"],
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        rps=float(row["Requests/s"]),
        p50=_number(row["50%"]),
        p99=_number(row["99%"]),
    )


def parse_stats(lines: list[str]) -> RunStats:
    rows = [_row(row) for row in csv.DictReader(lines)]
    totals = [r for r in rows if r.name == AGGREGATED and not r.method]
    if not totals:
        raise ValueError("no Aggregated row in the Locust stats")
    calls = tuple(r for r in rows if r is not totals[0])
    return RunStats(totals[0], calls)


def read_stats(prefix: Path) -> RunStats:
    path = prefix.with_name(prefix.name + "_stats.csv")
    return parse_stats(path.read_text(encoding="utf-8").splitlines())
