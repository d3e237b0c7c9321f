"""A profile's busiest hour, and the days a capacity step replays.

Both come from the schedule's own day maker, one day at a time: the busiest hour is looked for
on the heaviest days only (the calendar's weights say which; Poisson noise on a day's count is
about 1.5%, far less than a burst's step), and a step replays a full working week near a point
where the numbering restarts (the profile's first day, or 1 January), because a replay that
starts later must first make every day since then for their document numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from exchange.registry import Registry
from loadtests.profiles.model import Profile
from loadtests.schedule import bind, daily_rate
from loadtests.schedule.calendar import WorkCalendar
from loadtests.schedule.days import DayMaker
from loadtests.schedule.frame import frame

__all__ = ["MARGIN", "WEEK", "PeakHour", "ProfileDays", "busiest_hour", "heaviest", "weeks"]

MARGIN = 0.1  # days whose weight is within 10% of the heaviest are searched for the peak
WEEK = 5  # working days in a row that a step replays from


@dataclass(frozen=True, slots=True)
class PeakHour:
    start: datetime  # the clock hour's first moment, ICT
    documents: int  # electronic documents the schedule sends in it

    @property
    def per_second(self) -> float:
        return self.documents / 3600.0

    def label(self) -> str:
        end = self.start + timedelta(hours=1)
        return f"{self.start:%Y-%m-%d %H:%M}-{end:%H:%M} ICT"


def busiest_hour(sent: Iterable[datetime]) -> PeakHour | None:
    """The clock hour holding the most of these moments (the earliest of equals)."""
    counts = Counter(moment.replace(minute=0, second=0, microsecond=0) for moment in sent)
    if not counts:
        return None
    start = min(counts, key=lambda hour: (-counts[hour], hour))
    return PeakHour(start, counts[start])


def heaviest(calendar: WorkCalendar, days: Sequence[date], margin: float = MARGIN) -> list[date]:
    """The days whose expected volume is within `margin` of the heaviest day's."""
    weights = [calendar.weight(day) for day in days]
    top = max(weights, default=0.0)
    return [day for day, weight in zip(days, weights, strict=True) if weight >= top * (1 - margin)]


def weeks(calendar: WorkCalendar, days: Sequence[date]) -> Iterator[date]:
    """The first days of `WEEK` working days in a row, in order, not overlapping."""
    run: list[date] = []
    for day in days:
        run = [*run, day] if calendar.is_working(day) else []
        if len(run) == WEEK:
            yield run[0]
            run = []


class ProfileDays:
    """A profile's days as its schedule makes them (same seed, same documents), one at a time."""

    def __init__(self, profile: Profile, registries: Sequence[Registry], seed: str) -> None:
        self.profile, self.seed = profile, seed
        self.window = frame(profile)
        plan = bind(profile, registries)
        rate = daily_rate(profile)
        self._maker = DayMaker(plan, self.window.calendar, self.window.epoch, rate, seed)
        self.days = [self.window.first + timedelta(days=i) for i in range(self.window.days)]

    def sent(self, day: date) -> list[datetime]:
        """When the day's electronic documents leave (paper ones never reach a hub)."""
        index = (day - self.window.first).days
        return [d.sent_at for _, d in self._maker.documents(index, day) if d.electronic]

    def peak(self) -> PeakHour:
        candidates = heaviest(self.window.calendar, self.days)
        found = busiest_hour(moment for day in candidates for moment in self.sent(day))
        if found is None:
            raise ValueError(
                f"{self.profile.name} sends no electronic document on its busiest days"
            )
        return found

    def office_rate(self, day: date) -> float:
        """The day's electronic documents per second of its office hours."""
        office = sum(end - start for start, end in self.profile.calendar.office_hours)
        return len(self.sent(day)) / office

    def replay_window(self, index: int = 0) -> tuple[date, date]:
        """The `index`-th working week from a numbering restart: its first day and, a week
        on, the last day a step may reach (a fast step plays past the first day)."""
        starts = list(self._restarts())
        if index >= len(starts):
            raise ValueError(f"{self.profile.name} has only {len(starts)} weeks to replay")
        first = starts[index]
        return first, min(self.profile.end, first + timedelta(days=6))

    def last_restart_week(self) -> int:
        """The index of the first replay window in the period's last numbering stretch (its
        last January): the window with the most history before it."""
        starts = list(self._restarts())
        restart = _restart_days(self.profile)[-1]
        return next(i for i, start in enumerate(starts) if start >= restart)

    def _restarts(self) -> Iterator[date]:
        """Working weeks in each stretch where the numbering restarts: the first weeks of the
        period, then of each January (a week or two in: Tết and 1 January are holidays)."""
        for restart in _restart_days(self.profile):
            stretch = [d for d in self.days if restart <= d < restart + timedelta(days=28)]
            yield from weeks(self.window.calendar, stretch)


def _restart_days(profile: Profile) -> list[date]:
    years = range(profile.start.year + 1, profile.end.year + 1)
    return [profile.start, *(date(year, 1, 1) for year in years)]
