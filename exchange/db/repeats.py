"""Identical audit events within a window cost a counter, not a record each.

A flood of the same refusal (one claimed system, one code, one path) must not grow the audit
log by a record per request. The first of a window is recorded at once with `count: 1`; the
repeats are counted in memory and recorded as one entry carrying their `count` when the window
closes (or when the hub stops), so the counts of a key's records sum to its requests. The
tally holds at most `max_keys` open windows; past that, new keys share one overflow window per
event, so a flood that varies what it claims still costs O(1) records per window.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from exchange.domain.audit import AuditEntry

__all__ = ["RepeatTally"]


@dataclass(slots=True)
class _Window:
    first: AuditEntry  # recorded when the window opened
    closes: datetime
    repeats: int = 0
    last: datetime | None = None

    def tally(self) -> AuditEntry:
        """The repeats as one entry: the first's fields, the time of the last, the count."""
        detail = {**self.first.detail, "count": self.repeats, "since": self.first.at.isoformat()}
        return replace(self.first, at=self.last or self.first.at, detail=detail)


class RepeatTally:
    """Used from one thread (the event loop's): not locked."""

    def __init__(self, window: timedelta, *, max_keys: int = 4096) -> None:
        self._window = window
        self._max_keys = max_keys
        self._open: dict[Hashable, _Window] = {}

    def admit(self, key: Hashable, entry: AuditEntry) -> list[AuditEntry]:
        """The entries to record now: nothing while `key`'s window is open (the entry is
        counted); else the closed window's tally, if it counted any, and this entry (with
        `count: 1`), which opens a new window."""
        due = self.due(entry.at) if len(self._open) >= self._max_keys else []
        if key not in self._open and len(self._open) >= self._max_keys:
            key, entry = ("overflow", entry.event), _overflow(entry, self._max_keys)
        window = self._open.get(key)
        if window is not None and entry.at < window.closes:
            window.repeats += 1
            window.last = entry.at
            return due
        if window is not None and window.repeats:
            due.append(window.tally())
        first = replace(entry, detail={**entry.detail, "count": 1})
        self._open[key] = _Window(first, entry.at + self._window)
        return [*due, first]

    def due(self, now: datetime) -> list[AuditEntry]:
        """The tallies of the windows closed by `now`; closed windows are forgotten."""
        closed = [key for key, window in self._open.items() if window.closes <= now]
        return [t for t in (self._close(key) for key in closed) if t is not None]

    def drain(self) -> list[AuditEntry]:
        """Every tally, closing every window: when the hub stops."""
        return [t for t in (self._close(key) for key in list(self._open)) if t is not None]

    def next_close(self) -> datetime | None:
        """When the earliest window holding repeats closes (None: nothing is waiting)."""
        return min((w.closes for w in self._open.values() if w.repeats), default=None)

    def _close(self, key: Hashable) -> AuditEntry | None:
        window = self._open.pop(key)
        return window.tally() if window.repeats else None


def _overflow(entry: AuditEntry, max_keys: int) -> AuditEntry:
    detail = {"overflow": f"more than {max_keys} distinct keys in one window"}
    return AuditEntry(entry.event, entry.at, None, None, detail)
