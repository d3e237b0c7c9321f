"""Read what Locust reports: the `PREFIX_stats.csv` and `PREFIX_failures.csv` of a headless
run. Pure.

Per request name and for the Aggregated row: requests, failures, requests/s and the response
time percentiles as Locust computes them (its median is the 50% column; times in ms). Per
failure: the call, the error as recorded (`ErrorCode <code>: <desc>` for a refusal, as
`loadtests.link.failure_text` writes it) and how often.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CallStats",
    "Failure",
    "RunStats",
    "parse_failures",
    "parse_stats",
    "read_failures",
    "read_stats",
    "refusal_codes",
]

AGGREGATED = "Aggregated"
REFUSAL_CODE = re.compile(r"ErrorCode ([^\s:]+):")
HTTP_STATUS = re.compile(r"HTTP (\d{3})")
CONNECTION = "connection"  # no answer at all


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


@dataclass(frozen=True, slots=True)
class Failure:
    method: str
    name: str
    error: str
    occurrences: int


def parse_failures(lines: list[str]) -> tuple[Failure, ...]:
    return tuple(
        Failure(row["Method"], row["Name"], row["Error"], int(row["Occurrences"]))
        for row in csv.DictReader(lines)
    )


def read_failures(prefix: Path) -> tuple[Failure, ...]:
    """No file (Locust writes one only with --csv): no failures recorded."""
    path = prefix.with_name(prefix.name + "_failures.csv")
    if not path.exists():
        return ()
    return parse_failures(path.read_text(encoding="utf-8").splitlines())


def _reason(error: str) -> str:
    """The hub's ErrorCode, else the HTTP status of an answer without the envelope, else
    `connection` (no answer), else the error itself."""
    code = REFUSAL_CODE.search(error)
    if code is not None:
        return code[1]
    status = HTTP_STATUS.search(error)
    if status is not None:
        return status[0]
    return CONNECTION if f"{CONNECTION}:" in error else error[:80]


def refusal_codes(failures: Iterable[Failure], name: str) -> dict[str, int]:
    """How often each reason refused the call `name` (e.g. {"signature_unsigned": 3})."""
    counted: dict[str, int] = {}
    for failure in failures:
        if failure.name == name:
            reason = _reason(failure.error)
            counted[reason] = counted.get(reason, 0) + failure.occurrences
    return counted
