"""Who takes part in the exchange mix: the systems in the credentials file `eoffice seed` writes.

Pure (no locust): the benchmark driver reads it to size the run, the Locust users to pick their
identities. Senders are the agencies of the provincial system (whose connector collects their
answers); receivers are the district systems and the central system, each answered by one
connector.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "HostedAgency",
    "Roster",
    "Sender",
    "SystemCredential",
    "load_roster",
    "pick_recipients",
    "roster_from_json",
]

SENDER_TIER = "province"
RECEIVER_TIERS = frozenset({"district", "central"})


@dataclass(frozen=True, slots=True)
class HostedAgency:
    code: str
    name: str
    tier: str


@dataclass(frozen=True, slots=True)
class SystemCredential:
    system_id: str
    secret: str
    agencies: tuple[HostedAgency, ...]

    def hosts(self, tiers: frozenset[str]) -> bool:
        return any(a.tier in tiers for a in self.agencies)


@dataclass(frozen=True, slots=True)
class Sender:
    """An agency of the provincial system, with the credentials of the system hosting it."""

    system: SystemCredential
    agency: HostedAgency


@dataclass(frozen=True, slots=True)
class Roster:
    systems: tuple[SystemCredential, ...]

    @property
    def senders(self) -> tuple[Sender, ...]:
        return tuple(
            Sender(system, agency)
            for system in self.systems
            for agency in system.agencies
            if agency.tier == SENDER_TIER
        )

    @property
    def sending_systems(self) -> tuple[SystemCredential, ...]:
        """Systems hosting a sender: each one's connector collects its agencies' answers."""
        return tuple(s for s in self.systems if s.hosts(frozenset({SENDER_TIER})))

    @property
    def mix_users(self) -> int:
        """The exchange mix's Locust users: a sender per agency, a connector per system."""
        return len(self.senders) + len(self.sending_systems) + len(self.receivers)

    def names(self) -> dict[str, str]:
        """Every hosted agency's name by its code."""
        return {a.code: a.name for s in self.systems for a in s.agencies}

    @property
    def receivers(self) -> tuple[SystemCredential, ...]:
        """Systems hosting a district or central agency (the district systems also host the
        communes under them; any of their agencies can be a recipient)."""
        return tuple(s for s in self.systems if s.hosts(RECEIVER_TIERS))


def roster_from_json(document: dict[str, Any]) -> Roster:
    systems = tuple(
        SystemCredential(
            system_id=entry["systemId"],
            secret=entry["secret"],
            agencies=tuple(
                HostedAgency(a["code"], a["name"], a["tier"]) for a in entry["agencies"]
            ),
        )
        for entry in document["systems"]
    )
    return Roster(systems)


def load_roster(path: Path) -> Roster:
    return roster_from_json(json.loads(path.read_text(encoding="utf-8")))


def pick_recipients(
    rng: random.Random, receivers: Sequence[SystemCredential], count: int
) -> list[HostedAgency]:
    """One agency in each of `count` different receiving systems (all of them if fewer)."""
    systems = rng.sample(list(receivers), min(count, len(receivers)))
    return [rng.choice(system.agencies) for system in systems]
