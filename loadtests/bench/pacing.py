"""Pacing a sender at a fixed rate. Pure: the clock is passed in.

Each sender starts at a random point within its first interval, so many senders at the same
rate spread their sends evenly instead of all sending at the same instants (a burst every
interval would measure the bursts, not the rate). A late send does not shift the schedule,
and a sender that fell far behind does not make up for it with a burst.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Pacer"]


@dataclass(slots=True)
class Pacer:
    interval: float
    next_due: float

    @classmethod
    def starting(cls, rate: float, now: float, rng: random.Random) -> Pacer:
        """`rate` sends per second, the first one at a random point of the first interval."""
        interval = 1.0 / rate
        return cls(interval, now + rng.uniform(0.0, interval))

    def due(self, now: float) -> bool:
        return now >= self.next_due

    def wait(self, now: float) -> float:
        return max(0.0, self.next_due - now)

    def sent(self, now: float) -> None:
        self.next_due = max(self.next_due + self.interval, now)
