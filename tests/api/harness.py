"""Helpers for the API tests: a real hub seeded with Ninh Bình and the central tier, and
connectors that sign their requests like an agency's eOffice system does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from exchange.domain.agencies import Agency
from exchange.domain.messages import Attachment, EdocMessage, Organization
from exchange.edxml import parse_edxml
from exchange.edxml.writer import build_edxml
from exchange.protocol.answers import Answer
from exchange.protocol.client import HubClient
from exchange.protocol.compose import compose_edoc
from exchange.protocol.connector import Connector
from exchange.settings import Settings

PROVINCE = "ninh-binh-tinh"
NOW = datetime(2018, 5, 2, 9, 15, tzinfo=UTC)


class Conn(HubClient):
    """A system's connector (the national protocol), plus what tests say often."""

    def send(self, body: bytes) -> Answer:
        """sendEdoc with `from` and `messagetype` taken from the edXML, as connectors do."""
        message = parse_edxml(body).message
        return self.send_edoc(body, message.sender.organ_id, message.kind)

    def inbox(self, message_type: str = "edoc") -> list[dict[str, object]]:
        return self.get_received_edoc_list(message_type).raise_if_refused().data


@dataclass
class Hub:
    http: TestClient
    secrets: dict[str, str]
    agencies: dict[str, Agency]
    settings: Settings

    def connector(self, system_id: str, **options: object) -> Conn:
        connector = Connector(system_id, self.secrets[system_id], **options)  # type: ignore[arg-type]
        return Conn(self.http, connector)

    def hosted(self, system_id: str) -> list[Agency]:
        return [a for a in self.agencies.values() if a.system_id == system_id]

    def of(self, agency: Agency) -> Conn:
        return self.connector(agency.system_id)


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    return Settings(database_url=database_url, data_dir=data_dir, **overrides)  # type: ignore[arg-type]


def org(agency: Agency) -> Organization:
    return Organization(agency.code, agency.name, agency.name)


def edoc(
    sender: Agency,
    recipients: list[Agency],
    number: int = 1,
    *,
    attachment: bytes = b"%PDF-1.4 demo",
    **extra: object,
) -> EdocMessage:
    message = compose_edoc(
        org(sender),
        [org(r) for r in recipients],
        number=number,
        notation="UBND-VP",
        subject="V/v triển khai liên thông văn bản điện tử",
        on=NOW,
        attachments=[Attachment("cid:1", "congvan.pdf", "application/pdf", attachment)],
    )
    if extra:
        from dataclasses import replace

        message = replace(message, **extra)  # type: ignore[arg-type]
    return message


def edxml(message: object) -> bytes:
    return build_edxml(message)  # type: ignore[arg-type]
