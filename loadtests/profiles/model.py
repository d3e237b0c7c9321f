"""A traffic profile as frozen dataclasses: what `load_profile` returns, validated.

Times of day are seconds after midnight; durations are seconds (office-clock delays count
office seconds only); sizes are bytes; shares are fractions in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from exchange.domain.agencies import Tier

__all__ = [
    "Attachments",
    "Burst",
    "BurstKind",
    "Calendar",
    "Clock",
    "Delay",
    "DocumentType",
    "ElectronicEra",
    "Flow",
    "Intraday",
    "Peak",
    "Profile",
    "Recall",
    "Recipients",
    "RegistrySpec",
    "Scope",
    "Source",
    "Statuses",
    "Step",
    "TierPair",
    "Volume",
]


class Scope(StrEnum):
    """Where a flow's recipients are drawn from, relative to the sender."""

    OWN = "own"  # lower tier: under the sender; higher: its superiors; same: its siblings
    PROVINCE = "province"  # the sender's province (a central sender: any province)
    OTHER = "other"  # provinces other than the sender's


class Clock(StrEnum):
    OFFICE = "office"  # counts office hours of working days only
    ANY = "any"  # counts every second


class BurstKind(StrEnum):
    MONTH_END = "month_end"
    QUARTER_END = "quarter_end"
    YEAR_END = "year_end"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    file: str  # a seed file (../shared/seeds/) or domain.md
    quote: str  # verbatim from the file
    figure: str  # what the quote says, in English


@dataclass(frozen=True, slots=True)
class TierPair:
    sender: Tier
    recipient: Tier

    def __str__(self) -> str:
        return f"{self.sender}>{self.recipient}"

    @classmethod
    def parse(cls, text: str) -> TierPair:
        """`"province>commune"`; ValueError naming an unknown tier."""
        parts = text.split(">") if isinstance(text, str) else []
        if len(parts) != 2:
            raise ValueError(f"expected sender>recipient tiers, got {text!r}")
        known = ", ".join(t.value for t in Tier)
        for part in parts:
            if part not in {t.value for t in Tier}:
                raise ValueError(f"unknown tier {part!r} (known: {known})")
        return cls(Tier(parts[0]), Tier(parts[1]))


@dataclass(frozen=True, slots=True)
class Recipients:
    """Every agency in scope (a broadcast), or 1 + a geometric count of mean `mean`, capped."""

    broadcast: bool
    mean: float = 1.0
    limit: int = 1


@dataclass(frozen=True, slots=True)
class Flow:
    pair: TierPair
    share: float  # of all documents
    recipients: Recipients
    scope: Scope


@dataclass(frozen=True, slots=True)
class ElectronicEra:
    """From `start` on, the share of documents sent electronically, per tier pair."""

    start: date
    shares: Mapping[TierPair, float]
    fields: Mapping[TierPair, str]  # the field each share was read from (for its source)


@dataclass(frozen=True, slots=True)
class Calendar:
    holidays: str  # country code for python-holidays ("VN")
    office_hours: tuple[tuple[int, int], ...]  # (start, end) seconds of day, increasing
    weekend: float  # a weekend day's volume relative to a working day's
    holiday: float  # a public holiday's (Tết included)
    days_off: frozenset[date]  # extra holidays
    working_days: frozenset[date]  # extra working days (make-up Saturdays)

    @property
    def office_day(self) -> int:
        """Seconds of office hours in a working day ("1d" on the office clock)."""
        return sum(end - start for start, end in self.office_hours)


@dataclass(frozen=True, slots=True)
class Peak:
    at: int  # seconds of day
    width: float  # seconds (standard deviation of a Gaussian bump)
    height: float  # added to the base rate at its centre


@dataclass(frozen=True, slots=True)
class Intraday:
    base: float  # rate within office hours
    off_hours: float  # rate outside them, on the same scale
    peaks: tuple[Peak, ...]


@dataclass(frozen=True, slots=True)
class Burst:
    kind: BurstKind
    working_days: int  # the last N working days of the month / quarter / year
    factor: float  # volume multiplier on those days (overlapping bursts: the largest)


@dataclass(frozen=True, slots=True)
class DocumentType:
    name: str  # Công văn, Quyết định, ...
    abbreviation: str  # QĐ, TB, ...; "" for a công văn (no type in its notation)
    share: float


@dataclass(frozen=True, slots=True)
class Attachments:
    """Lognormal body around `median`, a Pareto tail from `tail_from`; capped at `largest`."""

    median: int
    sigma: float
    tail_share: float
    tail_from: int
    tail_alpha: float
    largest: int


@dataclass(frozen=True, slots=True)
class Delay:
    """Lognormal around `median` (0: immediately), capped at `longest`, on a clock."""

    median: float
    sigma: float
    clock: Clock
    longest: float


@dataclass(frozen=True, slots=True)
class Step:
    share: float  # of the recipients who reach the previous step
    delay: Delay  # after the previous step


@dataclass(frozen=True, slots=True)
class Statuses:
    """What each recipient of an electronic document answers, in this order.

    01 always (after delivery); then 02 (a rejection, ends the chain) or 03; 04 and 05 each
    optional after 03; 06 after the last of them.
    """

    arrived: Delay  # 01
    rejected: Step  # 02
    registered: Step  # 03
    assigned: Step  # 04
    processing: Step  # 05
    finished: Step  # 06


@dataclass(frozen=True, slots=True)
class Recall:
    """A sender taking a document back: 13 to every recipient, each answers 15 or 16."""

    share: float  # of electronic documents
    request: Delay  # 13, after the send
    answer: Delay  # 15 / 16, after the 13


@dataclass(frozen=True, slots=True)
class Volume:
    documents: int  # sent documents over the whole period, each counted once
    recipients_per_document: float | None  # a target the flows must give (within 5%)


@dataclass(frozen=True, slots=True)
class RegistrySpec:
    structure: str  # "2019" or "2025"
    slugs: tuple[str, ...]  # fixtures/registries, loaded together
    tiers: frozenset[Tier] = frozenset(Tier)  # the registries' agencies the profile runs on


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    file: str
    start: date
    end: date  # inclusive
    volume: Volume
    registry: RegistrySpec
    flows: tuple[Flow, ...]
    electronic: tuple[ElectronicEra, ...]
    calendar: Calendar
    intraday: Intraday
    bursts: tuple[Burst, ...]
    document_types: tuple[DocumentType, ...]
    priorities: tuple[tuple[int, float], ...]  # (độ khẩn 0-4, share)
    attachments: Attachments
    statuses: Statuses
    recall: Recall
    polling_interval: float  # seconds between two polls of one system
    sources: Mapping[str, Source]
    sourced: Mapping[str, str]  # field path -> source key
    inferred: tuple[str, ...]  # field paths of the numbers that are inferences

    def era(self, on: date) -> ElectronicEra:
        """The electronic-share era in force on a day."""
        current = self.electronic[0]
        for era in self.electronic[1:]:
            if era.start <= on:
                current = era
        return current

    def source_of(self, field: str) -> Source | None:
        key = self.sourced.get(field)
        return self.sources[key] if key else None
