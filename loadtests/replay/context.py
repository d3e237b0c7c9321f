"""What one replay process shares between its driver, senders and connectors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import gevent.pool  # type: ignore[import-untyped]
from locust.contrib.fasthttp import FastHttpSession

from loadtests.link import Link
from loadtests.profiles.model import Profile
from loadtests.replay.calls import SystemClient
from loadtests.replay.chains import Chains
from loadtests.replay.params import ReplayParams
from loadtests.replay.presigned import SignedBodies
from loadtests.replay.recorder import Recorder
from loadtests.roster import Roster
from loadtests.schedule import ICT, Document
from signing import TrustStore

__all__ = ["Context", "dump", "era_pair", "now_ict"]


def era_pair(profile: Profile, document: Document) -> str:
    return f"{profile.era(document.sent_at.date()).start}|{document.pair}"


@dataclass(slots=True)
class Context:
    params: ReplayParams
    profile: Profile
    roster: Roster
    recorder: Recorder
    http: FastHttpSession
    pool: gevent.pool.Pool
    chains: Chains = field(default_factory=Chains)
    documents: dict[str, Document] = field(default_factory=dict)  # those with held statuses
    clients: dict[str, SystemClient] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    systems_by_agency: dict[str, str] = field(default_factory=dict)
    signed: SignedBodies | None = None  # `--signed`: send these bodies
    trust: TrustStore | None = None  # and verify what arrives against this
    link: Link = field(default_factory=Link)  # how the connectors reach the hub

    def __post_init__(self) -> None:
        self.names = self.roster.names()
        self.systems_by_agency = {
            a.code: s.system_id for s in self.roster.systems for a in s.agencies
        }
        for system in self.roster.systems:
            self.clients[system.system_id] = SystemClient(
                self.http, self.link, system.system_id, system.secret, self.recorder
            )

    def hosted(self, system_id: str) -> frozenset[str]:
        found = next(s for s in self.roster.systems if s.system_id == system_id)
        return frozenset(a.code for a in found.agencies)

    def client(self, system_id: str) -> SystemClient:
        return self.clients[system_id]


def now_ict() -> datetime:
    return datetime.now(ICT)


def dump(path: Path, data: dict[str, object]) -> None:
    """Write atomically: the parent reads these files while they are rewritten."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data))
    temporary.replace(path)
