"""The exchange mix's shared state in one Locust process: its settings, who plays whom, and
the document counters the request stats cannot give. No locust: the users read it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loadtests.bench.outgoing import Composed, DocumentSource, Presigned
from loadtests.bench.receiver_check import ReceiverCheck
from loadtests.link import Link
from loadtests.roster import Roster, Sender, SystemCredential

__all__ = ["MixCounters", "MixSettings", "MixState", "document_source"]


@dataclass(slots=True)
class MixCounters:
    """What the request stats cannot say: how many documents the requests carried."""

    documents_sent: int = 0  # sendEdoc answered OK with a DocId new to the sender
    documents_repeated: int = 0  # answered OK with a DocId it had had: the hub knew it
    documents_completed: int = 0  # every recipient's 03 collected by the sender
    documents_given_up: int = 0  # open longer than the mix's give-up time
    documents_verified: int = 0  # by a receiver that checks signatures (--receiver-trust)
    documents_returned: int = 0  # answered 02 by such a receiver: signatures did not verify
    statuses_sent: int = 0
    statuses_collected: int = 0
    senders_out_of_documents: int = 0  # pre-signed pools used up (the run is then invalid)
    started: float = 0.0
    stopped: float = 0.0


@dataclass(slots=True)
class MixSettings:
    roster: Roster
    docs_per_second: float = 0.0  # over all senders; 0: as fast as the hub answers
    in_flight: int = 3
    recipients: int = 4
    notation: str = "UBND-VP"
    sending: bool = True  # False: only receive and collect (drain what an earlier run left)
    presigned: Path | None = None  # send these pre-signed documents instead of composing
    check: ReceiverCheck | None = None  # receivers verify signatures before answering
    link: Link = field(default_factory=Link)  # how the connectors reach the hub


def document_source(settings: MixSettings, sender: Sender, rng: random.Random) -> DocumentSource:
    if settings.presigned is not None:
        return Presigned(settings.presigned, sender.agency.code)
    return Composed(
        sender.agency,
        settings.roster.receivers,
        recipients=settings.recipients,
        notation=settings.notation,
        rng=rng,
    )


class MixState:
    """Settings, identities handed out in turn, counters (reset when measuring starts)."""

    def __init__(self) -> None:
        self.settings: MixSettings | None = None
        self.counters = MixCounters()
        self._senders: Iterator[Sender] = iter(())
        self._receivers: Iterator[SystemCredential] = iter(())
        self._collectors: Iterator[SystemCredential] = iter(())

    def configure(self, settings: MixSettings) -> None:
        self.settings = settings
        self._senders = itertools.cycle(settings.roster.senders)
        self._receivers = itertools.cycle(settings.roster.receivers)
        self._collectors = itertools.cycle(settings.roster.sending_systems)

    @property
    def current(self) -> MixSettings:
        if self.settings is None:
            raise RuntimeError("the mix is not configured: pass --credentials")
        return self.settings

    def next_sender(self) -> Sender:
        return next(self._senders)

    def next_receiver(self) -> SystemCredential:
        return next(self._receivers)

    def next_collector(self) -> SystemCredential:
        return next(self._collectors)
