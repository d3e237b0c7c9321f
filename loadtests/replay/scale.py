"""How fast a replay plays the period: the compression, and the wall time it then takes."""

from __future__ import annotations

from datetime import date, timedelta

from loadtests.profiles.model import Profile
from loadtests.replay.params import ReplayParams
from loadtests.schedule import Compression, daily_rate, fit_compression
from loadtests.schedule.frame import frame

__all__ = ["compression_for", "expected_documents", "wall_seconds"]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def compression_for(
    profile: Profile,
    office: float | None,
    wall: float,
    ratio: float,
    start: str | None = None,
    end: str | None = None,
) -> Compression:
    """`office` simulated seconds per wall second (off hours `ratio` times more), or the
    compression that fits the window into `wall` seconds."""
    if office is not None:
        return Compression(office, office * ratio)
    return fit_compression(profile, wall, ratio=ratio, start=_day(start), end=_day(end))


def wall_seconds(profile: Profile, params: ReplayParams) -> float:
    window = frame(profile, _day(params.start), _day(params.end))
    office, other = window.clock.totals(window.begin, window.clock.end)
    squeeze = params.compression
    return office / squeeze.office + other / squeeze.off_hours


def expected_documents(profile: Profile, params: ReplayParams) -> int:
    """About how many documents (paper ones too) the replay's days hold: the whole volume, or
    `--documents`, for the whole period; its share by the calendar's weights for a window."""
    window = frame(profile, _day(params.start), _day(params.end))
    first = window.first + timedelta(days=int(window.begin // 86400))
    last = window.first + timedelta(days=window.days - 1)
    weights = sum(
        window.calendar.weight(first + timedelta(days=i)) for i in range((last - first).days + 1)
    )
    return round(daily_rate(profile, params.documents) * weights)
