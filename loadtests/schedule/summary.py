"""Counting a stream as it goes by: events, documents, and the electronic share achieved per
tier pair next to the profile's (the figure a replay's report compares with the seed)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from loadtests.profiles.model import Profile, TierPair
from loadtests.schedule.events import Event, EventKind

__all__ = ["PairCount", "Tally"]


@dataclass(slots=True)
class PairCount:
    documents: int = 0
    electronic: int = 0

    @property
    def share(self) -> float:
        return self.electronic / self.documents if self.documents else 0.0


@dataclass(slots=True)
class Tally:
    profile: Profile
    kinds: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    pairs: dict[tuple[date, str], PairCount] = field(default_factory=dict)  # (era, pair)
    deliveries: int = 0  # (document, recipient) pairs of electronic documents
    last_wall: float = 0.0

    def add(self, event: Event) -> None:
        self.kinds[event.kind] += 1
        self.last_wall = event.wall
        if event.kind is EventKind.STATUS and event.code:
            self.codes[event.code] += 1
        document = event.document
        if event.kind is EventKind.SEND and document:
            era = self.profile.era(document.sent_at.date()).start
            count = self.pairs.setdefault((era, document.pair), PairCount())
            count.documents += 1
            count.electronic += document.electronic
            self.deliveries += len(document.recipients) if document.electronic else 0

    @property
    def documents(self) -> int:
        return self.kinds[EventKind.SEND]

    def electronic_share(self) -> float:
        electronic = sum(c.electronic for c in self.pairs.values())
        return electronic / self.documents if self.documents else 0.0

    def lines(self) -> list[str]:
        """A plain-text summary: totals, then achieved vs profile share per era and pair."""
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(self.kinds.items()))
        codes = ", ".join(f"{c} {n:,}" for c, n in sorted(self.codes.items()))
        lines = [
            f"events: {sum(self.kinds.values()):,} ({kinds}); wall {self.last_wall:,.1f} s",
            f"documents: {self.documents:,}, {self.electronic_share():.1%} electronic, "
            f"{self.deliveries:,} electronic deliveries; statuses: {codes}",
        ]
        for (era, pair), count in sorted(self.pairs.items()):
            wanted = self.profile.era(era).shares[TierPair.parse(pair)]
            lines.append(
                f"  from {era} {pair:<20} {count.documents:>9,} documents, "
                f"electronic {count.share:6.1%} (profile {wanted:.0%})"
            )
        return lines
