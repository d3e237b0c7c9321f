"""The workbench plays every seeded agency's eOffice system: it holds the systems' credentials
(from the seeding), the agencies' keys (the seeded PKI) and their books, and talks to the hub
only through its real API, in the national protocol (exchange.web.connector). The pages act
through it as an agency's clerk or leader."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import httpx
from cryptography import x509

from exchange.domain.agencies import Agency
from exchange.domain.messages import Organization
from exchange.services.trust import TrustProvider
from exchange.web.books import BookStore
from exchange.web.connector import SystemClient
from exchange.web.directory import AgencyDirectory, load_credentials
from exchange.web.keys import Keys
from exchange.web.settings import WorkbenchSettings
from exchange.web.trainees import TraineeStore
from exchange.web.wire import WireLog
from signing import TrustStore

if TYPE_CHECKING:
    from exchange.api.hub import Hub

__all__ = ["Actor", "Role", "Workbench", "WorkbenchError", "utcnow"]

log = logging.getLogger("exchange.web")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    CLERK = "clerk"  # văn thư
    LEADER = "leader"  # lãnh đạo


@dataclass(frozen=True, slots=True)
class Actor:
    agency: Agency
    role: Role


class WorkbenchError(Exception):
    """Something the user asked that the workbench (or the hub) will not do; `key` names the
    message in the catalogue, `values` fill it in."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class Workbench:
    def __init__(
        self,
        hub: Hub,
        web: WorkbenchSettings,
        http: httpx.AsyncClient,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        settings = hub.settings
        self.hub = hub
        self.web = web
        self.clock = clock
        credentials = load_credentials(settings.data_dir / "credentials" / f"{web.registry}.json")
        self.wire = WireLog()  # what the played systems sent and got, for the wire view
        self.clients = {
            c.system_id: SystemClient(
                http, c.system_id, c.secret, clock, settings.auth_profile, self.wire
            )
            for c in credentials
        }
        self.credentials = credentials
        self.external: set[str] = set()  # systems handed to a trainee's own connector
        self.trainees = TraineeStore(settings.data_dir / "credentials" / "trainees.json")
        self.directory = AgencyDirectory({})
        self.books = BookStore(settings.data_dir / "workbench")
        self.keys = Keys(settings.pki_path, clock, self.agency)  # issued as first needed
        self._trust = TrustProvider(settings.pki_path / "public")
        self.wake = asyncio.Event()
        self.sync_lock = asyncio.Lock()
        self.cache: dict[str, tuple[float, object]] = {}  # figures that are slow to compute
        self.failures: dict[str, int] = {}  # receiverDocId: failed attempts at taking it

    async def load_directory(self) -> None:
        first = next(iter(self.clients.values()))
        self.directory = AgencyDirectory.build(await first.agencies(), self.credentials)

    def agency(self, code: str) -> Agency:
        agency = self.directory.get(code)
        if agency is None:
            raise WorkbenchError("error.agency_unknown", code=code)
        return agency

    def client(self, agency: Agency) -> SystemClient:
        return self.clients[agency.system_id]

    def trust(self) -> TrustStore | None:
        return self._trust.current()

    def authorities(self) -> list[x509.Certificate]:
        bundle = self.hub.settings.pki_path / "public" / "ca-bundle.pem"
        return x509.load_pem_x509_certificates(bundle.read_bytes()) if bundle.exists() else []

    @staticmethod
    def organization(agency: Agency) -> Organization:
        return Organization(agency.code, agency.name, agency.name)

    def require(self, actor: Actor, role: Role) -> None:
        if actor.role is not role:
            raise WorkbenchError(f"error.role_{role.value}")
