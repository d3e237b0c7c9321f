"""The working calendar: which days are worked, and how much traffic each day carries.

Public holidays (Tết included, with the days the government moves) come from python-holidays'
Vietnamese calendar; its make-up Saturdays are working days. A profile adds its own days off
and working days on top.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import holidays

from loadtests.profiles.model import Burst, BurstKind, Calendar

__all__ = ["DayKind", "WorkCalendar"]

_LAST_MONTH = {BurstKind.MONTH_END: None, BurstKind.QUARTER_END: 3, BurstKind.YEAR_END: 12}


class DayKind(StrEnum):
    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


class WorkCalendar:
    """Day kinds and day weights (working day = 1, bursts multiply it) for one profile."""

    def __init__(self, calendar: Calendar, bursts: tuple[Burst, ...], first: date, last: date):
        self.calendar = calendar
        self.bursts = bursts
        years = range(first.year - 1, last.year + 2)
        self._holidays = holidays.country_holidays(calendar.holidays, years=years)
        self._month_ends: dict[tuple[int, int, int], frozenset[date]] = {}

    def kind(self, day: date) -> DayKind:
        if day in self.calendar.days_off:
            return DayKind.HOLIDAY
        if day in self.calendar.working_days:
            return DayKind.WORKING
        if day in self._holidays:
            return DayKind.HOLIDAY
        return DayKind.WORKING if self._holidays.is_working_day(day) else DayKind.WEEKEND

    def is_working(self, day: date) -> bool:
        return self.kind(day) is DayKind.WORKING

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None

    def weight(self, day: date) -> float:
        """The day's expected volume relative to an ordinary working day."""
        kind = self.kind(day)
        if kind is DayKind.WEEKEND:
            return self.calendar.weekend
        if kind is DayKind.HOLIDAY:
            return self.calendar.holiday
        return self.burst(day)

    def burst(self, day: date) -> float:
        """The largest factor of the bursts that cover a working day (1 if none)."""
        factor = 1.0
        for burst in self.bursts:
            month = _LAST_MONTH[burst.kind]
            covered = month is None or day.month % month == 0
            if covered and day in self._last_working(day.year, day.month, burst.working_days):
                factor = max(factor, burst.factor)
        return factor

    def _last_working(self, year: int, month: int, count: int) -> frozenset[date]:
        key = (year, month, count)
        if key not in self._month_ends:
            day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            found: list[date] = []
            while len(found) < count and day.month == month:
                if self.is_working(day):
                    found.append(day)
                day -= timedelta(days=1)
            self._month_ends[key] = frozenset(found)
        return self._month_ends[key]
