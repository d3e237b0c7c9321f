"""What one replay process measured, as it goes; saved as JSON and merged across processes.

Latency is recorded twice per call in HDR histograms (microseconds): from the moment the
request was meant to start (the schedule's time: coordinated omission corrected) and from the
moment it did start (service time). Counters per wall second give the time series; documents
are counted per simulated hour of day and per (era, tier pair) for the planned-vs-achieved and
electronic-share figures. Pure: no locust; the clock is passed in.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

__all__ = ["HIGHEST_US", "Recorder", "histogram", "histogram_in"]

HIGHEST_US = 3_600_000_000  # an hour
SERIES = ("requests", "errors", "planned", "documents", "deliveries", "acked")


def histogram() -> HdrHistogram:
    return HdrHistogram(1, HIGHEST_US, 3)


def histogram_in(histograms: dict[str, HdrHistogram], name: str) -> HdrHistogram:
    """The call's histogram, made on its first use only (one is ~100 KB of counters)."""
    found = histograms.get(name)
    if found is None:
        found = histograms[name] = histogram()
    return found


def _micros(seconds: float) -> int:
    return min(HIGHEST_US, max(1, math.ceil(seconds * 1e6)))


@dataclass(slots=True)
class Recorder:
    started: float  # epoch seconds at the schedule's wall 0
    latency: dict[str, HdrHistogram] = field(default_factory=dict)
    service: dict[str, HdrHistogram] = field(default_factory=dict)
    series: dict[str, Counter[int]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)  # "call|code"
    hours: dict[str, Counter[int]] = field(default_factory=dict)  # planned / achieved
    pairs: dict[str, Counter[str]] = field(default_factory=dict)  # "era|pair" -> counts
    gauges: dict[str, float] = field(default_factory=dict)

    def count(self, series: str, at: float, n: int = 1) -> None:
        second = max(0, int(at - self.started))
        self.series.setdefault(series, Counter())[second] += n

    def request(self, name: str, intended: float, start: float, end: float, code: str) -> None:
        """One request; `code` is "" when it succeeded, else the refusal's code or status."""
        histogram_in(self.latency, name).record_value(_micros(end - intended))
        histogram_in(self.service, name).record_value(_micros(end - start))
        self.count("requests", end)
        self.count(f"ms|{name}", end, round((end - intended) * 1000))  # latency over time
        self.count(f"n|{name}", end)
        if code:
            self.errors[f"{name}|{code}"] += 1
            self.count("errors", end)

    def document(self, era_pair: str, hour: int, electronic: bool, intended: float) -> None:
        """A scheduled document passing the driver (sent or filed on paper)."""
        counts = self.pairs.setdefault(era_pair, Counter())
        counts["scheduled"] += 1
        if electronic:
            counts["electronic"] += 1
            self.hours.setdefault("planned", Counter())[hour] += 1
            self.count("planned", intended)

    def accepted(self, era_pair: str, hour: int, at: float, deliveries: int) -> None:
        """The hub took a scheduled document (201, or 200 for a retry it already had)."""
        self.pairs.setdefault(era_pair, Counter())["accepted"] += 1
        self.hours.setdefault("achieved", Counter())[hour] += 1
        self.count("documents", at)
        self.count("deliveries", at, deliveries)

    def to_json(self) -> dict[str, Any]:
        return {
            "started": self.started,
            "latency": {k: h.encode().decode() for k, h in self.latency.items()},
            "service": {k: h.encode().decode() for k, h in self.service.items()},
            "series": {k: dict(v) for k, v in self.series.items()},
            "errors": dict(self.errors),
            "hours": {k: dict(v) for k, v in self.hours.items()},
            "pairs": {k: dict(v) for k, v in self.pairs.items()},
            "gauges": self.gauges,
        }
