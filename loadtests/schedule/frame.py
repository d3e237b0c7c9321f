"""The stretch of days a schedule covers, its calendar and its clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from loadtests.profiles.model import Profile
from loadtests.schedule.calendar import WorkCalendar
from loadtests.schedule.clock import ICT, OfficeClock

__all__ = ["Frame", "frame", "moment"]


@dataclass(frozen=True, slots=True)
class Frame:
    first: date  # first day generated: the profile's start or 1 January of the start's year
    days: int  # generated days, up to the last one (inclusive)
    epoch: datetime  # midnight (ICT) starting the first day; times are seconds from it
    begin: float  # the first moment that yields events
    calendar: WorkCalendar
    clock: OfficeClock


def moment(value: date | datetime) -> datetime:
    """A date's midnight, or a datetime, in ICT (a naive datetime is read as ICT)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), ICT)
    return value.replace(tzinfo=ICT) if value.tzinfo is None else value.astimezone(ICT)


def frame(profile: Profile, start: date | datetime | None = None, end: date | None = None) -> Frame:
    """Days from the profile's start (numbers must count from it, or from 1 January) to
    `end` or the profile's end; events from `start` on."""
    last = min(profile.end, end) if end else profile.end
    begin = moment(start) if start else moment(profile.start)
    if begin < moment(profile.start) or begin.date() > last:
        raise ValueError(f"start {begin} is outside {profile.start} .. {last}")
    first = max(profile.start, date(begin.year, 1, 1))
    days = (last - first).days + 1
    calendar = WorkCalendar(profile.calendar, profile.bursts, first, last)
    epoch = moment(first)
    return Frame(
        first=first,
        days=days,
        epoch=epoch,
        begin=(begin - epoch).total_seconds(),
        calendar=calendar,
        clock=OfficeClock(calendar, first, days),
    )
