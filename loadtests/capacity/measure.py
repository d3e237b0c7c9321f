"""A replay measured between two readings of its parts: after its warm-up, up to a cut.

The parts hold cumulative HDR histograms, so the latency of the measured stretch is the later
reading minus the earlier one, bucket by bucket; counts come from the per-second series. Pure.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]

from loadtests.replay.merge import Merged
from loadtests.replay.recorder import histogram

__all__ = ["StepFigures", "measure", "subtract"]


@dataclass(frozen=True, slots=True)
class StepFigures:
    seconds: float  # the measured stretch of wall time
    planned: int  # electronic documents the schedule sent in it
    accepted: int  # documents the hub took in it
    requests: int
    errors: int
    p99_ms: Mapping[str, float]  # per call, from the intended time
    service_p99_ms: Mapping[str, float] = field(default_factory=dict)  # from the request's start

    @property
    def planned_per_s(self) -> float:
        return self.planned / self.seconds if self.seconds > 0 else 0.0

    @property
    def achieved_per_s(self) -> float:
        return self.accepted / self.seconds if self.seconds > 0 else 0.0

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def keep_up(self) -> float:
        """Documents accepted per document planned (1 when nothing was planned)."""
        return self.accepted / self.planned if self.planned else 1.0

    @property
    def worst(self) -> tuple[str, float] | None:
        """The call with the highest p99 from the intended time, and that p99."""
        return _worst(self.p99_ms)

    @property
    def worst_service(self) -> tuple[str, float] | None:
        """The call the hub was slowest to answer at p99 (the client's queue left out)."""
        return _worst(self.service_p99_ms)


def _worst(p99_ms: Mapping[str, float]) -> tuple[str, float] | None:
    return max(p99_ms.items(), key=lambda item: (item[1], item[0])) if p99_ms else None


def subtract(later: HdrHistogram, earlier: HdrHistogram | None) -> HdrHistogram:
    """The values recorded after `earlier` was read (both from one cumulative histogram)."""
    found = histogram()
    for item in later.get_recorded_iterator():
        value = item.value_iterated_to
        count = item.count_at_value_iterated_to
        count -= earlier.get_count_at_value(value) if earlier is not None else 0
        if count > 0:
            found.record_value(value, count)
    return found


def _sum(series: Counter[int] | None, begin: int, end: int) -> int:
    return sum(series.get(second, 0) for second in range(begin, end)) if series else 0


def measure(earlier: Merged, later: Merged, cut: float) -> StepFigures:
    """From the earlier reading (the second it was saved in) to `cut` seconds after the
    replay's wall 0."""
    saved = max((g.get("saved", 0.0) for g in earlier.gauges), default=later.started)
    begin = max(0, math.floor(saved - later.started))
    end = max(begin, math.floor(cut))
    return StepFigures(
        seconds=float(end - begin),
        planned=_sum(later.series.get("planned"), begin, end),
        accepted=_sum(later.series.get("documents"), begin, end),
        requests=_sum(later.series.get("requests"), begin, end),
        errors=_sum(later.series.get("errors"), begin, end),
        p99_ms=_p99(earlier.latency, later.latency),
        service_p99_ms=_p99(earlier.service, later.service),
    )


def _p99(
    earlier: Mapping[str, HdrHistogram], later: Mapping[str, HdrHistogram]
) -> dict[str, float]:
    """Each call's p99 (ms) of what was recorded between the readings."""
    found = {}
    for name, latency in sorted(later.items()):
        measured = subtract(latency, earlier.get(name))
        if measured.get_total_count():
            found[name] = round(measured.get_value_at_percentile(99.0) / 1000.0, 3)
    return found
