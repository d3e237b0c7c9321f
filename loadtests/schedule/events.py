"""What a schedule yields: events (send, status, poll) and the documents they are about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Document", "Event", "EventKind"]


class EventKind(StrEnum):
    SEND = "send"  # the sender's system sends a document (or files it on paper)
    STATUS = "status"  # a status package about a document
    POLL = "poll"  # a system asks the hub for what it has received


@dataclass(frozen=True, slots=True)
class Document:
    """One document as its sender issues it; numbered per agency per year from 1."""

    document_id: str  # `<sender>,<yyyy/MM/dd>,<number>/<notation>` (QCVN 102)
    sender: str
    number: int
    notation: str  # `QĐ-UBND`, `SYT-VP` (a công văn has no type)
    doc_type: str  # the type's name: Công văn, Quyết định, ...
    priority: int  # độ khẩn 0-4
    recipients: tuple[str, ...]
    pair: str  # tier pair, `province>commune`
    broadcast: bool  # to every agency of the recipient tier in scope
    electronic: bool  # False: sent on paper, never through the hub
    attachment_size: int  # bytes
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    """`at` is simulated time (ICT); `wall` the seconds from the schedule's start at which a
    replay plays it. `system` acts: the sender's, the responder's or the poller's."""

    at: datetime
    wall: float
    kind: EventKind
    system: str
    agency: str | None  # sender (send), responder (status); None for a poll
    recipients: tuple[str, ...]  # the document's, or the one a status goes to (13: all)
    document: Document | None = None
    code: str | None = None  # status code: 01-06, 13, 15, 16
