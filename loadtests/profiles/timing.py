"""When things happen: a profile's calendar, intraday shape, bursts, status delays, polling."""

from __future__ import annotations

import re
from datetime import date, datetime

import holidays

from loadtests.profiles.model import (
    Burst,
    BurstKind,
    Calendar,
    Clock,
    Delay,
    Intraday,
    Peak,
    Recall,
    Statuses,
    Step,
)
from loadtests.profiles.reader import Reader

__all__ = [
    "read_bursts",
    "read_calendar",
    "read_intraday",
    "read_polling",
    "read_recall",
    "read_statuses",
]

_TIME = re.compile(r"^(?P<hour>\d{2}):(?P<minute>\d{2})$")
_DAY = 86400


def _time_of_day(reader: Reader, key: str, text: object) -> int:
    found = _TIME.match(text) if isinstance(text, str) else None
    seconds = int(found["hour"]) * 3600 + int(found["minute"]) * 60 if found else -1
    if not found or int(found["minute"]) > 59 or not 0 <= seconds <= _DAY:
        reader.fail(key, f"expected a time of day such as 07:30, got {text!r}")
    return seconds


def _office_hours(reader: Reader) -> tuple[tuple[int, int], ...]:
    spans = reader.raw("office_hours")
    if not isinstance(spans, list) or not spans:
        reader.fail("office_hours", 'expected an array such as ["07:30-11:30", "13:30-17:00"]')
    found: list[tuple[int, int]] = []
    for index, span in enumerate(spans):
        key = f"office_hours[{index}]"
        start, _, end = span.partition("-") if isinstance(span, str) else ("", "", "")
        opens, closes = _time_of_day(reader, key, start), _time_of_day(reader, key, end)
        if closes <= opens or (found and opens < found[-1][1]):
            reader.fail(key, f"{span!r} is empty, reversed or overlaps the span before it")
        found.append((opens, closes))
    return tuple(found)


def _dates(reader: Reader, key: str) -> frozenset[date]:
    values = reader.raw(key, [])
    if not isinstance(values, list) or not all(_is_date(v) for v in values):
        reader.fail(key, "expected an array of dates (2017-01-02)")
    return frozenset(values)


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _country(reader: Reader) -> str:
    code = reader.text("holidays")
    try:
        holidays.country_holidays(code, years=2020)
    except NotImplementedError:
        reader.fail("holidays", f"python-holidays has no calendar for {code!r}")
    return code


def read_calendar(root: Reader) -> Calendar:
    section = root.table("calendar")
    calendar = Calendar(
        holidays=_country(section),
        office_hours=_office_hours(section),
        weekend=section.number("weekend", low=0),
        holiday=section.number("holiday", low=0),
        days_off=_dates(section, "days_off"),
        working_days=_dates(section, "working_days"),
    )
    section.finish()
    return calendar


def _peak(reader: Reader) -> Peak:
    peak = Peak(
        at=_time_of_day(reader, "at", reader.raw("at")),
        width=reader.duration("width"),
        height=reader.number("height", low=0),
    )
    if peak.width <= 0:
        reader.fail("width", "must be longer than 0s")
    reader.finish()
    return peak


def read_intraday(root: Reader) -> Intraday:
    section = root.table("intraday")
    base = section.number("base", low=0)
    off_hours = section.number("off_hours", low=0)
    peaks = tuple(_peak(r) for r in section.tables("peaks")) if section.has("peaks") else ()
    if base <= 0:
        section.fail("base", "must be above 0")
    section.finish()
    return Intraday(base, off_hours, peaks)


def _burst(reader: Reader) -> Burst:
    burst = Burst(
        kind=reader.choice("kind", BurstKind),
        working_days=reader.integer("working_days", low=1),
        factor=reader.number("factor", low=0),
    )
    reader.finish()
    return burst


def read_bursts(root: Reader) -> tuple[Burst, ...]:
    return tuple(_burst(r) for r in root.tables("bursts")) if root.has("bursts") else ()


def _delay(reader: Reader, key: str, office_day: int) -> Delay:
    section = reader.table(key)
    clock = section.choice("clock", Clock)
    day = office_day if clock is Clock.OFFICE else _DAY
    delay = Delay(
        median=section.duration("median", day=day),
        sigma=section.number("sigma", low=0),
        clock=clock,
        longest=section.duration("max", day=day),
    )
    if delay.longest < delay.median:
        section.fail("max", "shorter than the median")
    section.finish()
    return delay


def _step(reader: Reader, key: str, office_day: int) -> Step:
    section = reader.table(key)
    step = Step(section.number("share", low=0, high=1), _delay(section, "delay", office_day))
    section.finish()
    return step


def read_statuses(root: Reader, office_day: int) -> Statuses:
    section = root.table("statuses")
    arrived = section.table("01")
    statuses = Statuses(
        arrived=_delay(arrived, "delay", office_day),
        rejected=_step(section, "02", office_day),
        registered=_step(section, "03", office_day),
        assigned=_step(section, "04", office_day),
        processing=_step(section, "05", office_day),
        finished=_step(section, "06", office_day),
    )
    arrived.finish()
    section.finish()
    return statuses


def read_recall(root: Reader, office_day: int) -> Recall:
    section = root.table("recall")
    recall = Recall(
        share=section.number("share", low=0, high=1),
        request=_delay(section, "request", office_day),
        answer=_delay(section, "answer", office_day),
    )
    section.finish()
    return recall


def read_polling(root: Reader) -> float:
    section = root.table("polling")
    interval = section.duration("interval")
    if interval <= 0:
        section.fail("interval", "must be longer than 0s")
    section.finish()
    return interval
