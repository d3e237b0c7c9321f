"""An agency system's connection to the hub: the national protocol's calls (VXP), each request
built and signed by `exchange.protocol.connector.Connector` with the system's secret and sent
by `AsyncHubClient`. In the workbench the client reaches the same application in-process
(httpx.ASGITransport), so every check and every refusal is the API's own. The answer's body
decides, as for the SDK: a FAIL becomes `HubRefusal` (its ErrorCode and ErrorDesc)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from exchange.protocol.answers import Answer
from exchange.protocol.client import AsyncHubClient
from exchange.protocol.connector import Connector, Profile, WireRequest
from exchange.web.wire import WireLog

__all__ = ["PREFIX", "Delivery", "HubRefusal", "SentReport", "SystemClient"]

PREFIX = "/vxp"  # the hub serves the calls at the host root too


class HubRefusal(Exception):
    """The hub said FAIL: its ErrorCode (`code`), ErrorDesc (`detail`) and the HTTP status."""

    def __init__(self, code: str, detail: str, status: int = 0) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.status = status


@dataclass(frozen=True, slots=True)
class Delivery:
    """One item of getReceivedEdocList: a copy waiting for one of the system's agencies."""

    doc_id: str  # the receiver's own docId (receiverDocId)
    message_type: str  # edoc | status
    sender: str
    to: str
    status: str  # pending | processing | fail


@dataclass(frozen=True, slots=True)
class SentReport:
    """getSentEdocList: one row per recipient, and what the hub found of the signatures."""

    rows: tuple[dict[str, Any], ...]
    verification: dict[str, Any] | None


class SystemClient:
    """One eOffice system (its credentials) talking to the hub, in the hub's profile (a hub
    that runs `strict` wants a fresh timestamp, a nonce and the body's hash on every call)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        system_id: str,
        secret: str,
        clock: Callable[[], datetime],
        profile: Profile = "national",
        wire: WireLog | None = None,
    ) -> None:
        self.system_id = system_id
        self.wire = wire
        self.clock = clock
        connector = Connector(system_id, secret, prefix=PREFIX, profile=profile, clock=clock)
        self.hub = AsyncHubClient(http, connector)

    @property
    def connector(self) -> Connector:
        return self.hub.connector

    async def call(self, request: WireRequest) -> Answer:
        answer = await self.hub.call(request)
        if self.wire is not None:
            self.wire.record(self.system_id, request, answer, self.clock())
        if not answer.ok:
            raise HubRefusal(answer.error_code, answer.error_desc, answer.http_status)
        return answer

    async def send(self, edxml: bytes, sender: str, message_type: str = "edoc") -> str:
        """sendEdoc: the document (or status package); the sender's docId."""
        request = self.connector.send_edoc(edxml, sender=sender, message_type=message_type)
        return str((await self.call(request))["DocId"])

    async def received(self, message_type: str = "edoc") -> list[Delivery]:
        """The oldest copies not yet acknowledged `done`, for every agency the system hosts."""
        answer = await self.call(self.connector.get_received_edoc_list(message_type))
        return [_delivery(row, message_type) for row in answer.data]

    async def get(self, doc_id: str) -> bytes:
        """getEdoc: the edXML as delivered."""
        return (await self.call(self.connector.get_edoc(doc_id))).edxml

    async def ack(self, doc_id: str, status: str = "done") -> None:
        """updateStatus: the transport acknowledgement of one copy."""
        await self.call(self.connector.update_status(doc_id, status))

    async def sent(self, doc_id: str) -> SentReport:
        """getSentEdocList for the sender's docId."""
        answer = await self.call(self.connector.get_sent_edoc_list(doc_id))
        verification = answer.fields.get("verification")
        return SentReport(
            tuple(answer.data), verification if isinstance(verification, dict) else None
        )

    async def agencies(self) -> list[dict[str, Any]]:
        """getAgenciesList: id, code, name, mail, pid, oldCode."""
        return (await self.call(self.connector.get_agencies_list())).data


def _delivery(row: dict[str, Any], message_type: str) -> Delivery:
    return Delivery(
        doc_id=str(row["docId"]),
        message_type=str(row.get("messageType") or message_type),
        sender=str(row.get("from", "")),
        to=str(row.get("to", "")),
        status=str(row.get("status", "")),
    )
