"""The edXML an agency's eOffice system writes and reads in the mix. Pure: no locust, no I/O.

Attachments come from a small fixed pool, so the hub stores each blob once however many
documents carry it (as a real office re-sends the same forms and templates).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from exchange.domain.messages import Attachment, EdocMessage, Organization, StatusMessage
from exchange.edxml import parse_edxml
from exchange.edxml.writer import build_edxml
from exchange.protocol.compose import compose_edoc, compose_status
from loadtests.roster import HostedAgency

__all__ = [
    "ATTACHMENT_POOL",
    "SUBJECT",
    "VIETNAM",
    "Delivered",
    "answer",
    "new_document",
    "organization",
    "read_delivered",
    "read_edoc",
    "read_status",
]

VIETNAM = timezone(timedelta(hours=7), "ICT")
SUBJECT = "V/v triển khai liên thông văn bản điện tử"


def _attachment(index: int, size: int) -> Attachment:
    seed = hashlib.sha256(f"eoffice-bench-{index}".encode()).digest()
    data = b"%PDF-1.4\n" + (seed * (size // len(seed) + 1))[:size]
    return Attachment(f"cid:{index}", f"congvan-{index}.pdf", "application/pdf", data)


ATTACHMENT_POOL: tuple[Attachment, ...] = tuple(_attachment(i, 2048 + 1024 * i) for i in range(8))


def organization(agency: HostedAgency) -> Organization:
    return Organization(agency.code, agency.name, agency.name)


def new_document(
    sender: HostedAgency,
    recipients: Sequence[HostedAgency],
    *,
    number: int,
    notation: str,
    on: datetime,
    attachment: Attachment,
) -> tuple[str, bytes]:
    """The DocumentId and the edXML of a new official letter (công văn)."""
    message = compose_edoc(
        organization(sender),
        [organization(r) for r in recipients],
        number=number,
        notation=notation,
        subject=SUBJECT,
        on=on,
        attachments=[attachment],
    )
    return message.document_id, build_edxml(message)


def read_edoc(data: bytes) -> EdocMessage:
    """The delivered document; raises ValueError (or the parser's error) if it is not one."""
    message = parse_edxml(data).message
    if not isinstance(message, EdocMessage):
        raise ValueError("expected a document, got a status package")
    return message


@dataclass(frozen=True, slots=True)
class Delivered:
    """A document as the hub delivered it: the bytes (what a receiver verifies) and the message."""

    body: bytes
    message: EdocMessage


def read_delivered(data: bytes) -> Delivered:
    return Delivered(data, read_edoc(data))


def read_status(data: bytes) -> StatusMessage:
    message = parse_edxml(data).message
    if not isinstance(message, StatusMessage):
        raise ValueError("expected a status package, got a document")
    return message


def answer(
    responder: HostedAgency, answered: EdocMessage, code: str, *, on: datetime, reason: str = ""
) -> bytes:
    """The status package (01 arrived, 03 registered, 02 returned, ...) the responder sends."""
    status = compose_status(organization(responder), answered, code, on=on, reason=reason)
    return build_edxml(status)
