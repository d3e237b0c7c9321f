"""The edXML a replay sends for a scheduled document or status. Pure: no locust, no I/O.

Attachments come from a pool: the scheduled size rounded up to a power of two (at least 1 KB)
and capped, with the same bytes for the same size, so the hub (which stores blobs by SHA-256)
keeps a handful of blobs however many documents are sent.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from datetime import datetime

from exchange.domain.messages import Attachment, EdocMessage, Organization
from exchange.edxml.writer import build_edxml
from exchange.protocol.compose import compose_edoc, compose_status
from loadtests.schedule import Document

__all__ = ["SUBJECT", "attachment_for", "edoc_body", "pool_size", "skeleton", "status_body"]

SUBJECT = "V/v liên thông văn bản điện tử (phát lại lịch)"
MIN_ATTACHMENT = 1024


def pool_size(size: int, cap: int) -> int:
    """The pooled size standing for a scheduled one."""
    rounded = max(MIN_ATTACHMENT, 1 << max(0, size - 1).bit_length())
    return max(MIN_ATTACHMENT, min(rounded, cap))


@functools.lru_cache(maxsize=64)
def _pooled(size: int) -> Attachment:
    seed = hashlib.sha256(f"eoffice-replay-{size}".encode()).digest()
    head = b"%PDF-1.4\n"
    data = head + (seed * (size // len(seed) + 1))[: size - len(head)]
    return Attachment(f"cid:{size}", f"vanban-{size}.pdf", "application/pdf", data)


def attachment_for(size: int, cap: int) -> Attachment:
    return _pooled(pool_size(size, cap))


def _organization(code: str, names: Mapping[str, str]) -> Organization:
    name = names.get(code, code)
    return Organization(code, name, name)


def _message(
    document: Document, names: Mapping[str, str], attachments: tuple[Attachment, ...]
) -> EdocMessage:
    number, _, notation = document.document_id.rsplit(",", 1)[1].partition("/")
    return compose_edoc(
        _organization(document.sender, names),
        [_organization(code, names) for code in document.recipients],
        number=int(number),
        notation=notation,
        subject=SUBJECT,
        on=document.sent_at,
        attachments=attachments,
        priority=document.priority,
    )


def edoc_body(
    document: Document, names: Mapping[str, str], cap: int, main: Attachment | None = None
) -> bytes:
    """The document's edXML, its DocumentId exactly the schedule's: the signed `main` file
    (when given) then an attachment of the scheduled size."""
    pooled = attachment_for(document.attachment_size, cap)
    return build_edxml(_message(document, names, (main, pooled) if main else (pooled,)))


def skeleton(document: Document, names: Mapping[str, str]) -> EdocMessage:
    """The document without attachments: what a status package needs to name it."""
    return _message(document, names, ())


def status_body(
    document: Document, responder: str, code: str, names: Mapping[str, str], on: datetime
) -> bytes:
    status = compose_status(_organization(responder, names), skeleton(document, names), code, on=on)
    return build_edxml(status)
