"""A history's messages as the hub stores them: each document and status package composed
as its sender's system would have sent it, then read, checked and prepared by the live path
(`exchange.services.preparing.prepare`) at the time it was sent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from exchange.domain.agencies import Agency
from exchange.domain.messages import Attachment, EdocMessage, Message, Organization
from exchange.edxml import build_edxml, parse_edxml
from exchange.protocol.compose import compose_edoc, compose_status
from exchange.protocol.verification import MessageVerification
from exchange.services.directory import Directory
from exchange.services.history.records import HistoryDocument
from exchange.services.preparing import Prepared, prepare

__all__ = ["Composer", "Verify"]

Verify = Callable[[bytes, Message, datetime], MessageVerification | None]
VIETNAM = timezone(timedelta(hours=7), "ICT")  # dates in DocumentIds and stamps are Vietnam's


def _organization(agency: Agency) -> Organization:
    return Organization(agency.code, agency.name, agency.name)


@dataclass(frozen=True, slots=True)
class Composer:
    directory: Directory
    hub_organ_id: str
    verify: Verify

    def message(self, record: HistoryDocument, attachments: tuple[Attachment, ...]) -> EdocMessage:
        """The document as its sender's system composes it."""
        agencies = self.directory.agencies
        return compose_edoc(
            _organization(agencies[record.sender]),
            [_organization(agencies[code]) for code in record.recipients],
            number=record.number,
            notation=record.notation,
            subject=record.subject,
            on=record.sent_at.astimezone(VIETNAM),
            attachments=attachments,
            priority=record.priority,
        )

    def prepare(self, message: EdocMessage, at: datetime) -> Prepared:
        """The document as the hub stores it, arrived `at`."""
        sender = self.directory.agencies[message.sender.organ_id]
        return self._prepare(build_edxml(message), sender, at)

    def status(self, answered: EdocMessage, by: str, code: str, at: datetime) -> Prepared:
        agency = self.directory.agencies[by]
        status = compose_status(_organization(agency), answered, code, on=at.astimezone(VIETNAM))
        return self._prepare(build_edxml(status), agency, at)

    def _prepare(self, body: bytes, sender: Agency, at: datetime) -> Prepared:
        parsed = parse_edxml(body)
        return prepare(
            parsed,
            system_id=sender.system_id,
            directory=self.directory,
            body_sha256=hashlib.sha256(body).hexdigest(),
            hub_organ_id=self.hub_organ_id,
            now=at.astimezone(UTC),  # what the live path stores: times in UTC
            verification=self.verify(body, parsed.message, at),
        )
