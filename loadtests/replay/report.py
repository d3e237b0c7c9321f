"""The replay's own report as data: figures from the merged parts, the profile's shares, and
the thresholds' verdict. Pure; `render` makes the HTML, `run` writes both.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

from loadtests.profiles.model import Profile, TierPair
from loadtests.replay.merge import Merged

__all__ = ["PERCENTILES", "Thresholds", "build_report", "verdict", "write_report"]

PERCENTILES = (50.0, 90.0, 99.0, 99.9)


@dataclass(frozen=True, slots=True)
class Thresholds:
    max_p99_ms: float | None = None  # over every call, from the intended time
    max_error_rate: float | None = None  # failed requests / requests


def _ms(micros: float) -> float:
    return round(micros / 1000.0, 3)


def _call(latency: HdrHistogram, service: HdrHistogram | None) -> dict[str, Any]:
    found: dict[str, Any] = {"requests": latency.get_total_count()}
    for p in PERCENTILES:
        found[f"p{p:g}_ms"] = _ms(latency.get_value_at_percentile(p))
    found["max_ms"] = _ms(latency.get_max_value())
    if service is not None:
        found["service_p50_ms"] = _ms(service.get_value_at_percentile(50))
        found["service_p99_ms"] = _ms(service.get_value_at_percentile(99))
    return found


def _series(counter: Counter[int], length: int) -> list[int]:
    return [counter.get(second, 0) for second in range(length)]


def _electronic(merged: Merged, profile: Profile) -> list[dict[str, Any]]:
    rows = []
    for key, counts in sorted(merged.pairs.items()):
        era, pair = key.split("|", 1)
        scheduled = counts["scheduled"]
        wanted = profile.era(date.fromisoformat(era)).shares[TierPair.parse(pair)]
        rows.append(
            {
                "era": era,
                "pair": pair,
                "scheduled": scheduled,
                "electronic": counts["electronic"],
                "accepted": counts["accepted"],
                "scheduled_share": counts["electronic"] / scheduled if scheduled else 0.0,
                "achieved_share": counts["accepted"] / scheduled if scheduled else 0.0,
                "profile_share": wanted,
            }
        )
    return rows


def build_report(merged: Merged, profile: Profile, run: dict[str, Any]) -> dict[str, Any]:
    length = 1 + max((s for c in merged.series.values() for s in c), default=0)
    series = {name: _series(c, length) for name, c in sorted(merged.series.items())}
    created = itertools.accumulate(series.get("deliveries", [0] * length))
    acked = itertools.accumulate(series.get("acked", [0] * length))
    requests, errors = merged.total("requests"), merged.total("errors")
    elapsed = max(1.0, float(run.get("elapsed_s", length)))
    calls = {n: _call(h, merged.service.get(n)) for n, h in sorted(merged.latency.items())}
    return {
        **run,
        "summary": {
            "documents_planned": merged.total("planned"),
            "documents_accepted": merged.total("documents"),
            "documents_per_s": merged.total("documents") / elapsed,
            "requests": requests,
            "requests_per_s": requests / elapsed,
            "errors": errors,
            "error_rate": errors / requests if requests else 0.0,
            "statuses_held_at_end": merged.gauge("held"),
            "backlog_at_end": merged.total("deliveries") - merged.total("acked"),
            "signatures_verified": merged.gauge("verified"),
            "signatures_failed": merged.gauge("verify_failed"),
        },
        "calls": calls,
        "series": {**series, "backlog": [c - a for c, a in zip(created, acked, strict=True)]},
        "hours": {k: _series(v, 24) for k, v in sorted(merged.hours.items())},
        "electronic": _electronic(merged, profile),
        "errors": dict(merged.errors.most_common()),
    }


def verdict(report: dict[str, Any], thresholds: Thresholds) -> list[str]:
    """The thresholds broken (empty: the run passes)."""
    broken = []
    if thresholds.max_p99_ms is not None:
        for name, call in report["calls"].items():
            if call["p99_ms"] > thresholds.max_p99_ms:
                broken.append(f"{name}: p99 {call['p99_ms']:.1f} ms > {thresholds.max_p99_ms:g}")
    rate = report["summary"]["error_rate"]
    if thresholds.max_error_rate is not None and rate > thresholds.max_error_rate:
        broken.append(f"error rate {rate:.4f} > {thresholds.max_error_rate:g}")
    return broken


def write_report(report: dict[str, Any], folder: Path) -> Path:
    path = folder / "report.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return path
