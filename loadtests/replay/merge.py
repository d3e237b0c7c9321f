"""The processes' part files merged into one measurement. Pure (reads JSON, no locust)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

from loadtests.replay.recorder import histogram_in

__all__ = ["Merged", "merge", "read_parts", "workers_of"]


@dataclass(slots=True)
class Merged:
    started: float = 0.0
    latency: dict[str, HdrHistogram] = field(default_factory=dict)
    service: dict[str, HdrHistogram] = field(default_factory=dict)
    series: dict[str, Counter[int]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    hours: dict[str, Counter[int]] = field(default_factory=dict)
    pairs: dict[str, Counter[str]] = field(default_factory=dict)
    gauges: list[dict[str, float]] = field(default_factory=list)

    def total(self, series: str) -> int:
        return sum(self.series.get(series, Counter()).values())

    @property
    def partitions(self) -> int:
        """How many parts the run has (each part says); 0 before any arrived."""
        return int(max((g.get("partitions", 1) for g in self.gauges), default=0))

    @property
    def exhausted(self) -> bool:
        """Every part arrived and played its share of the schedule to the end."""
        complete = bool(self.gauges) and len(self.gauges) >= self.partitions
        return complete and all(g.get("exhausted") for g in self.gauges)

    def gauge(self, name: str) -> float:
        return sum(g.get(name, 0.0) for g in self.gauges)


def read_parts(folder: Path) -> list[dict[str, Any]]:
    parts = []
    for path in sorted(folder.glob("part-*.json")):
        try:
            parts.append(json.loads(path.read_text()))
        except (OSError, ValueError):
            continue  # being replaced right now: the next read gets it
    return parts


def _add(target: dict[str, HdrHistogram], encoded: dict[str, str]) -> None:
    for name, text in encoded.items():
        histogram_in(target, name).add(HdrHistogram.decode(text.encode()))


def _sum(target: dict[str, Counter[Any]], source: dict[str, dict[str, int]], keys: type) -> None:
    for name, values in source.items():
        counter = target.setdefault(name, Counter())
        for key, count in values.items():
            counter[keys(key)] += count


def merge(parts: list[dict[str, Any]]) -> Merged:
    merged = Merged(started=min((p["started"] for p in parts), default=0.0))
    for part in parts:
        _add(merged.latency, part["latency"])
        _add(merged.service, part["service"])
        _sum(merged.series, part["series"], int)
        _sum(merged.hours, part["hours"], int)
        _sum(merged.pairs, part["pairs"], str)
        merged.errors.update(part["errors"])
        merged.gauges.append(part["gauges"])
    return merged


def workers_of(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per part: which worker played it and what it did (documents accepted, requests)."""
    rows = []
    for part in parts:
        worker = part.get("worker", {})
        rows.append(
            {
                "partition": worker.get("partition"),
                "node": worker.get("node"),
                "documents": sum(part["series"].get("documents", {}).values()),
                "requests": sum(part["series"].get("requests", {}).values()),
                "exhausted": bool(part["gauges"].get("exhausted")),
                "events": int(part["gauges"].get("events", 0)),  # of its share, dispatched
                "partitions": int(part["gauges"].get("partitions", 1)),
            }
        )
    return sorted(rows, key=lambda row: (row["partition"] is None, row["partition"] or 0))
