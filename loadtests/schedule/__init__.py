"""Traffic schedules: a profile and a seed -> a lazy, time-ordered stream of events.

`schedule(profile, registries, seed=1, compression=...)` yields `Event`s (send, status, poll)
for the profile's period, the same for the same seed; `partition` splits a stream between
workers by system.
"""

from __future__ import annotations

from loadtests.schedule.clock import ICT, Compression
from loadtests.schedule.events import Document, Event, EventKind
from loadtests.schedule.plan import Plan, bind
from loadtests.schedule.stream import daily_rate, fit_compression, partition, schedule, worker_of

__all__ = [
    "ICT",
    "Compression",
    "Document",
    "Event",
    "EventKind",
    "Plan",
    "bind",
    "daily_rate",
    "fit_compression",
    "partition",
    "schedule",
    "worker_of",
]
