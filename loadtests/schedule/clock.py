"""Simulated time as seconds from the schedule's first midnight (ICT): office time and wall time.

Office time counts only the office hours of working days. It places a clerk's answer ("3 hours
of office time later" lands the next morning when the office closes first) and compresses a
replay: office seconds shrink by `Compression.office`, all other seconds by `off_hours`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta, timezone

from loadtests.schedule.calendar import WorkCalendar

__all__ = ["DAY", "ICT", "Compression", "OfficeClock"]

DAY = 86400
ICT = timezone(timedelta(hours=7), "ICT")  # Vietnam, no daylight saving


@dataclass(frozen=True, slots=True)
class Compression:
    """Simulated seconds per wall second, in office hours and outside them (nights, weekends,
    holidays). `Compression(20.0, 200.0)`: an office hour takes 3 minutes, a night 36 s."""

    office: float = 1.0
    off_hours: float = 1.0

    def __post_init__(self) -> None:
        if not (self.office > 0 and self.off_hours > 0):
            raise ValueError(f"compression factors must be above 0, got {self}")

    @classmethod
    def uniform(cls, factor: float) -> Compression:
        return cls(factor, factor)

    @classmethod
    def fit(cls, office: float, off_hours: float, wall: float, ratio: float) -> Compression:
        """Factors that play `office` + `off_hours` simulated seconds in `wall` seconds, the
        off-hours squeezed `ratio` times harder than office hours."""
        factor = (office + off_hours / ratio) / wall
        return cls(factor, factor * ratio)


class OfficeClock:
    """Office seconds elapsed since the first day's midnight, over a run of days."""

    def __init__(self, calendar: WorkCalendar, first: date, days: int) -> None:
        hours = calendar.calendar.office_hours
        self.first, self.days = first, days
        self._spans: list[tuple[tuple[float, float], ...]] = []
        self._start: list[float] = [0.0]  # office seconds at each day's midnight
        for index in range(days):
            worked = calendar.is_working(first + timedelta(days=index))
            base = index * DAY
            spans = tuple((base + s, base + e) for s, e in hours) if worked else ()
            self._spans.append(spans)
            self._start.append(self._start[-1] + sum(e - s for s, e in spans))

    @property
    def end(self) -> float:
        """The midnight after the last day: no time at or after it is scheduled."""
        return float(self.days * DAY)

    def office(self, t: float) -> float:
        """Office seconds elapsed between the first midnight and `t`."""
        index = int(t // DAY)
        if index >= self.days:
            return self._start[-1]
        elapsed = self._start[index]
        for start, end in self._spans[index]:
            if t <= start:
                break
            elapsed += min(t, end) - start
        return elapsed

    def after(self, t: float, seconds: float) -> float:
        """The moment `seconds` of office time after `t` (inf past the last day)."""
        target = self.office(t) + seconds
        index = bisect_right(self._start, target) - 1
        if index >= self.days:
            return math.inf
        remaining = target - self._start[index]
        for start, end in self._spans[index]:
            if remaining <= end - start:
                return start + remaining
            remaining -= end - start
        return self._spans[index][-1][1] if self._spans[index] else math.inf

    def wall(self, t: float, compression: Compression) -> float:
        """Wall seconds a replay takes from the first midnight to `t`."""
        office = self.office(t)
        return office / compression.office + (t - office) / compression.off_hours

    def totals(self, start: float, end: float) -> tuple[float, float]:
        """(office seconds, other seconds) between two moments."""
        office = self.office(end) - self.office(start)
        return office, (end - start) - office
