"""One day's documents: how many, when, from whom to whom, of what kind.

Each day draws from its own generator seeded with (seed, day), so a day comes out the same
whichever days were generated before it. Only the numbers depend on earlier days: they run per
issuing agency per calendar year from 1 (Nghị định 30/2020/NĐ-CP).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from exchange.protocol.compose import document_id
from loadtests.profiles.model import ElectronicEra
from loadtests.schedule.calendar import WorkCalendar
from loadtests.schedule.clock import DAY
from loadtests.schedule.draw import Weighted, attachment_size, intraday_weights, poisson
from loadtests.schedule.events import Document
from loadtests.schedule.plan import Plan

__all__ = ["DayMaker", "Numbering", "day_random"]


def day_random(seed: int | str, day: date, stream: str) -> random.Random:
    """The generator of one stream of draws (documents, statuses) of one day."""
    return random.Random(f"{seed}/{day.isoformat()}/{stream}")


class Numbering:
    """Document numbers per issuing agency, from 1 each calendar year."""

    def __init__(self) -> None:
        self._year = 0
        self._last: dict[str, int] = {}

    def take(self, agency: str, year: int) -> int:
        if year != self._year:
            self._year, self._last = year, {}
        number = self._last.get(agency, 0) + 1
        self._last[agency] = number
        return number


class DayMaker:
    """Documents of a day, in time order, numbered; `rate` is an ordinary working day's mean."""

    def __init__(
        self, plan: Plan, calendar: WorkCalendar, epoch: datetime, rate: float, seed: int | str
    ) -> None:
        profile = plan.profile
        self.plan, self.calendar, self.epoch = plan, calendar, epoch
        self.rate, self.seed = rate, seed
        self.numbering = Numbering()
        self._flows = Weighted([bound.flow.share for bound in plan.flows])
        self._types = Weighted([kind.share for kind in profile.document_types])
        self._priorities = Weighted([share for _, share in profile.priorities])
        self._minutes = Weighted(intraday_weights(profile.intraday, profile.calendar.office_hours))
        self._shares: dict[date, list[float]] = {}

    def documents(self, index: int, day: date) -> list[tuple[float, Document]]:
        """Day `index` (from the epoch's midnight): (seconds from the epoch, document) pairs."""
        rng = day_random(self.seed, day, "documents")
        count = poisson(rng, self.rate * self.calendar.weight(day))
        base = index * DAY
        times = sorted(
            base + self._minutes.pick(rng) * 60 + rng.random() * 60 for _ in range(count)
        )
        shares = self._electronic(self.plan.profile.era(day))
        return [(t, self._document(rng, t, shares)) for t in times]

    def _electronic(self, era: ElectronicEra) -> list[float]:
        if era.start not in self._shares:
            self._shares[era.start] = [era.shares[b.flow.pair] for b in self.plan.flows]
        return self._shares[era.start]

    def _document(self, rng: random.Random, t: float, shares: list[float]) -> Document:
        profile = self.plan.profile
        index = self._flows.pick(rng)
        bound = self.plan.flows[index]
        sender = bound.senders[int(rng.random() * len(bound.senders))]
        recipients = bound.recipients(rng, sender)
        electronic = rng.random() < shares[index]
        kind = profile.document_types[self._types.pick(rng)]
        priority = profile.priorities[self._priorities.pick(rng)][0]
        size = attachment_size(rng, profile.attachments)
        sent_at = self.epoch + timedelta(seconds=t)
        number = self.numbering.take(sender, sent_at.year)
        agency = self.plan.directory.members[sender].abbreviation
        notation = f"{kind.abbreviation}-{agency}" if kind.abbreviation else f"{agency}-VP"
        return Document(
            document_id=document_id(sender, sent_at, number, notation),
            sender=sender,
            number=number,
            notation=notation,
            doc_type=kind.name,
            priority=priority,
            recipients=recipients,
            pair=bound.pair,
            broadcast=bound.flow.recipients.broadcast,
            electronic=electronic,
            attachment_size=size,
            sent_at=sent_at,
        )
