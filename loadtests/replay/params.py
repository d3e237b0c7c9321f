"""What defines a replay: profile, seed, scale and compression. Stored in the run's report
JSON, so the same schedule can be made again to reconcile the hub with it. Pure."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from loadtests.profiles import load_profile, load_registries
from loadtests.schedule import Compression, Event, partition, schedule

__all__ = ["ReplayParams", "played_events", "replay_events"]


@dataclass(frozen=True, slots=True)
class ReplayParams:
    profile: str  # a name in fixtures/profiles or a .toml path
    seed: str
    documents: int | None  # a scaled-down replay of N documents; None: the profile's volume
    office: float  # simulated seconds per wall second in office hours
    off_hours: float  # and outside them
    start: str | None = None  # ISO dates: a window of the period
    end: str | None = None
    attachment_cap: int = 32 * 1024  # bytes: scheduled sizes are capped (a pool of blobs)
    signed: bool = False  # documents signed as agencies sign them; receivers verify

    @property
    def compression(self) -> Compression:
        return Compression(self.office, self.off_hours)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReplayParams:
        return cls(**data)

    def dumps(self) -> str:
        return json.dumps(self.to_json())


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def replay_events(params: ReplayParams, worker: int = 0, workers: int = 1) -> Iterator[Event]:
    """The schedule without polls (connectors poll on their own), a worker's share of it."""
    profile = load_profile(params.profile)
    events = schedule(
        profile,
        load_registries(profile),
        seed=params.seed,
        compression=params.compression,
        start=_day(params.start),
        end=_day(params.end),
        documents=params.documents,
        polls=False,
    )
    return partition(events, worker, workers) if workers > 1 else events


def played_events(params: ReplayParams, workers: Sequence[Mapping[str, Any]]) -> Iterator[Event]:
    """What a replay stopped early (--duration, Ctrl-C) played: each partition's events up to
    where its driver got (`events` in the report's `locust_workers`); events never reached
    were never due, so a reconciliation leaves them out."""
    for row in workers:
        share = replay_events(params, int(row["partition"] or 0), int(row["partitions"]))
        yield from itertools.islice(share, int(row["events"]))
