"""Profile + registries + seed -> a lazy, time-ordered stream of events.

Documents are made a day at a time; their statuses wait in a heap until their time comes, so
memory holds one day's documents and the statuses still pending, never the whole schedule.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from exchange.registry import Registry
from loadtests.profiles.model import Profile
from loadtests.schedule.clock import DAY, Compression
from loadtests.schedule.days import DayMaker, day_random
from loadtests.schedule.events import Document, Event, EventKind
from loadtests.schedule.frame import Frame, frame
from loadtests.schedule.plan import Plan, bind
from loadtests.schedule.statuses import Responses

__all__ = ["daily_rate", "fit_compression", "partition", "schedule", "worker_of"]

Pending = tuple[float, int, str, Document | None, str]  # (t, order, actor, document, code)


def daily_rate(profile: Profile, documents: int | None = None) -> float:
    """Mean documents of an ordinary working day, so the period's expected total is the
    profile's volume (or `documents`: a scaled-down replay of the whole period)."""
    full = frame(profile)
    weights = sum(full.calendar.weight(profile.start + timedelta(days=i)) for i in range(full.days))
    return (documents if documents is not None else profile.volume.documents) / weights


def fit_compression(
    profile: Profile,
    wall_seconds: float,
    *,
    ratio: float = 10.0,
    start: date | datetime | None = None,
    end: date | None = None,
) -> Compression:
    """The compression that plays the window in `wall_seconds`, off-hours `ratio` times faster
    than office hours (`fit_compression(p, 3600)`: the whole period in an hour)."""
    window = frame(profile, start, end)
    office, other = window.clock.totals(window.begin, window.clock.end)
    return Compression.fit(office, other, wall_seconds, ratio)


def schedule(
    profile: Profile,
    registries: Sequence[Registry],
    *,
    seed: int | str,
    compression: Compression | float = 1.0,
    start: date | datetime | None = None,
    end: date | None = None,
    documents: int | None = None,
    polls: bool = True,
) -> Iterator[Event]:
    """The profile's events from `start` (default: its first day) to `end` (inclusive),
    identical for the same seed. Checks the profile against the registries at once (raising
    `ProfileError`); events are made as they are consumed."""
    plan = bind(profile, registries)
    if documents is not None and documents < 0:
        raise ValueError(f"documents must be >= 0, got {documents}")
    squeeze = (
        compression if isinstance(compression, Compression) else Compression.uniform(compression)
    )
    run = _Run(plan, frame(profile, start, end), seed, squeeze, daily_rate(profile, documents))
    return run.events(polls)


def worker_of(system: str, worker_count: int) -> int:
    """The worker that plays a system's events (stable across processes and runs)."""
    return zlib.crc32(system.encode()) % worker_count


def partition(events: Iterable[Event], worker_index: int, worker_count: int) -> Iterator[Event]:
    """A worker's share: the events of the systems `worker_of` gives it. Every event of the
    stream goes to exactly one worker, and a system's events stay in order on one worker."""
    if not 0 <= worker_index < worker_count:
        raise ValueError(f"worker {worker_index} of {worker_count}")
    return (e for e in events if worker_of(e.system, worker_count) == worker_index)


class _Run:
    def __init__(
        self, plan: Plan, window: Frame, seed: int | str, squeeze: Compression, rate: float
    ) -> None:
        self.plan, self.window, self.seed, self.squeeze = plan, window, seed, squeeze
        self.maker = DayMaker(plan, window.calendar, window.epoch, rate, seed)
        self.responses = Responses(plan.profile, window.clock)
        self.wall0 = window.clock.wall(window.begin, squeeze)
        self.order = itertools.count()
        interval = plan.profile.polling_interval
        self.phases = [
            (system, random.Random(f"{seed}/polls/{system}").random() * interval)
            for system in plan.directory.systems
        ]

    def events(self, polls: bool) -> Iterator[Event]:
        heap: list[Pending] = []
        window = self.window
        for index in range(window.days):
            day = window.first + timedelta(days=index)
            documents = self.maker.documents(index, day)  # numbers even before the start
            if (index + 1) * DAY <= window.begin:
                continue
            if polls:
                for entry in self._polls(index):
                    heapq.heappush(heap, entry)
            statuses = day_random(self.seed, day, "statuses")
            for t, document in documents:
                while heap and heap[0][0] <= t:
                    yield self._emit(heapq.heappop(heap))
                pending = self._pending(statuses, t, document)
                for entry in pending:
                    heapq.heappush(heap, entry)
                if t >= window.begin:
                    yield self._send(t, document)
            while heap and heap[0][0] < (index + 1) * DAY:
                yield self._emit(heapq.heappop(heap))

    def _pending(self, rng: random.Random, t: float, document: Document) -> list[Pending]:
        if not document.electronic:
            return []
        entries = self.responses.for_document(rng, t, document)
        if t < self.window.begin:
            return []
        end = self.window.clock.end
        return [
            (at, next(self.order), who, document, code) for at, who, code in entries if at < end
        ]

    def _polls(self, index: int) -> list[Pending]:
        interval = self.plan.profile.polling_interval
        start, stop = max(index * DAY, self.window.begin), (index + 1) * DAY
        found: list[Pending] = []
        for system, phase in self.phases:
            t = phase + math.ceil((start - phase) / interval) * interval
            while t < stop:
                found.append((t, next(self.order), system, None, ""))
                t += interval
        return found

    def _send(self, t: float, document: Document) -> Event:
        system = self.plan.directory.system_of(document.sender)
        return Event(
            at=document.sent_at,
            wall=self._wall(t),
            kind=EventKind.SEND,
            system=system,
            agency=document.sender,
            recipients=document.recipients,
            document=document,
        )

    def _emit(self, entry: Pending) -> Event:
        t, _, actor, document, code = entry
        at = self.window.epoch + timedelta(seconds=t)
        if document is None:
            return Event(at, self._wall(t), EventKind.POLL, actor, None, ())
        recipients = document.recipients if code == "13" else (document.sender,)
        system = self.plan.directory.system_of(actor)
        return Event(at, self._wall(t), EventKind.STATUS, system, actor, recipients, document, code)

    def _wall(self, t: float) -> float:
        return self.window.clock.wall(t, self.squeeze) - self.wall0
