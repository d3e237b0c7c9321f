"""The capacity search as data: which compression to try next, when a step breaks, which step
answers, and what its documents/s mean in provinces. Pure.

The ladder multiplies the compression by `factor` while steps hold; after the first break it
bisects (geometric mean) between the highest step that held and the lowest that broke above
it, `refine` times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loadtests.capacity.measure import StepFigures
from loadtests.capacity.peak import PeakHour
from loadtests.link import Link
from loadtests.replay.report import Thresholds, verdict

__all__ = ["Ladder", "Limits", "Plan", "Step", "best", "judge", "provinces"]


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # from 1
    compression: float  # simulated office seconds per wall second
    folder: Path  # the step's `eoffice loadtest` report
    figures: StepFigures | None  # None: the step did not run to the end of its warm-up
    broken: tuple[str, ...]  # the limits it broke, or why it failed

    @property
    def held(self) -> bool:
        return self.figures is not None and not self.broken


@dataclass(frozen=True, slots=True)
class Ladder:
    start: float  # the first step's compression
    factor: float = 2.0
    refine: int = 2  # bisections after the first break
    max_steps: int = 8

    def __post_init__(self) -> None:
        if not (self.start > 0 and self.factor > 1 and self.refine >= 0 and self.max_steps >= 1):
            raise ValueError(f"a ladder needs start > 0, factor > 1, refine >= 0: {self}")

    def next(self, steps: Sequence[Step]) -> float | None:
        """The compression of the next step, or None: the search is over."""
        if not steps:
            return self.start
        if len(steps) >= self.max_steps or not steps[0].held or steps[-1].figures is None:
            return None  # out of steps, nothing sustainable, or a step failed to run
        first_break = next((i for i, s in enumerate(steps) if not s.held), None)
        if first_break is None:
            return steps[-1].compression * self.factor
        if len(steps) - 1 - first_break >= self.refine:
            return None
        low = max(s.compression for s in steps if s.held)
        above = [s.compression for s in steps if not s.held and s.compression > low]
        return math.sqrt(low * min(above)) if above else None


@dataclass(frozen=True, slots=True)
class Limits:
    max_p99_ms: float = 1000.0  # worst call's p99, from the intended time
    max_error_rate: float = 0.01  # failed requests / requests
    min_keep_up: float = 0.95  # documents accepted / planned: below, the hub falls behind


@dataclass(frozen=True, slots=True)
class Plan:
    profile: str  # as given: a name in fixtures/profiles or a path
    seed: str
    root: Path  # the capacity report's folder; steps in step-NN/
    ratio: float  # off hours go this many times faster than office hours
    warmup: float  # wall seconds left out of the figures
    seconds: float  # wall seconds measured
    processes: int  # Locust processes
    limits: Limits
    link: Link = field(default_factory=Link)  # how the replay's connectors reach the hub
    first_week: int = 0  # step 1's replay window (see ProfileDays.replay_window)
    preload_history: bool = False  # the hub starts holding the history before that week


def judge(figures: StepFigures, limits: Limits) -> tuple[str, ...]:
    """The limits a step broke (empty: it held)."""
    report = {
        "calls": {name: {"p99_ms": p99} for name, p99 in figures.p99_ms.items()},
        "summary": {"error_rate": figures.error_rate},
    }
    broken = verdict(report, Thresholds(limits.max_p99_ms, limits.max_error_rate))
    if figures.keep_up < limits.min_keep_up:
        broken.append(
            f"kept up with {figures.keep_up:.1%} of the planned documents "
            f"({figures.achieved_per_s:.1f} of {figures.planned_per_s:.1f}/s) "
            f"< {limits.min_keep_up:.0%}"
        )
    return tuple(broken)


def best(steps: Sequence[Step]) -> Step | None:
    """The step that held with the most documents/s."""
    held = [s for s in steps if s.held and s.figures is not None]
    return max(held, key=lambda s: s.figures.achieved_per_s if s.figures else 0.0, default=None)


def provinces(documents_per_s: float, peak: PeakHour) -> float:
    """How many provinces' busiest hours that rate carries."""
    return documents_per_s / peak.per_second if peak.documents else math.inf
