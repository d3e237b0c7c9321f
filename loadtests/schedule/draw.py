"""Random draws for the schedule. Every one takes its `random.Random`, so a day's draws are
reproducible from the day's seed alone."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from loadtests.profiles.model import Attachments, Delay, Intraday

__all__ = ["Weighted", "attachment_size", "delay", "intraday_weights", "poisson"]

_MINUTES = 1440
_NORMAL_FROM = 60.0  # above this mean, a Poisson count is drawn as a rounded normal


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > _NORMAL_FROM:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def delay(rng: random.Random, spec: Delay) -> float:
    """Seconds (of the delay's clock): lognormal around the median, capped."""
    if spec.median <= 0:
        return 0.0
    return min(spec.median * math.exp(spec.sigma * rng.gauss(0.0, 1.0)), spec.longest)


def attachment_size(rng: random.Random, spec: Attachments) -> int:
    """Bytes: mostly the lognormal body, sometimes the Pareto tail; at least 1 KB."""
    if rng.random() < spec.tail_share:
        size = spec.tail_from / (1.0 - rng.random()) ** (1.0 / spec.tail_alpha)
    else:
        size = spec.median * math.exp(spec.sigma * rng.gauss(0.0, 1.0))
    return int(min(max(size, 1024.0), spec.largest))


class Weighted:
    """Indices drawn in proportion to weights (cumulative sums and a bisection)."""

    def __init__(self, weights: Sequence[float]) -> None:
        self._cumulative = list(accumulate(weights))
        self.total = self._cumulative[-1] if self._cumulative else 0.0
        if self.total <= 0:
            raise ValueError("weights must not all be zero")

    def pick(self, rng: random.Random) -> int:
        index = bisect_right(self._cumulative, rng.random() * self.total)
        return min(index, len(self._cumulative) - 1)


def intraday_weights(shape: Intraday, office_hours: Sequence[tuple[int, int]]) -> list[float]:
    """Relative rate for each minute of a day: the base plus Gaussian peaks in office hours,
    the off-hours rate outside them."""
    weights = []
    for minute in range(_MINUTES):
        middle = minute * 60 + 30
        if any(start <= middle < end for start, end in office_hours):
            bumps = sum(
                p.height * math.exp(-0.5 * ((middle - p.at) / p.width) ** 2) for p in shape.peaks
            )
            weights.append(shape.base + bumps)
        else:
            weights.append(shape.off_hours)
    return weights
