"""The hash-chained audit log: each record holds the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "GENESIS",
    "MAX_EVENT",
    "MAX_SUBJECT",
    "MAX_SYSTEM_ID",
    "AuditEntry",
    "AuditRecord",
    "first_broken",
    "seal",
]

GENESIS = "0" * 64


# What a record's columns hold: an entry is cut to them before it is sealed, so no entry,
# whatever a client claimed, can fail the group commit that carries it.
MAX_EVENT, MAX_SYSTEM_ID, MAX_SUBJECT = 32, 64, 255


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What happened, before it is placed in the chain."""

    event: str  # document_accepted | status_accepted | status_changed | refused | ...
    at: datetime
    system_id: str | None = None
    subject: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "event", self.event[:MAX_EVENT])
        if self.system_id is not None:
            object.__setattr__(self, "system_id", self.system_id[:MAX_SYSTEM_ID])
        if self.subject is not None:
            object.__setattr__(self, "subject", self.subject[:MAX_SUBJECT])


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


def _utc_text(at: datetime) -> str:
    """Databases hand back naive (SQLite) or session-zoned (PostgreSQL) times: hash UTC."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(seq: int, entry: AuditEntry, prev_hash: str) -> str:
    body = json.dumps(
        [seq, _utc_text(entry.at), entry.event, entry.system_id, entry.subject, entry.detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def seal(seq: int, entry: AuditEntry, prev_hash: str) -> AuditRecord:
    return AuditRecord(seq, entry, prev_hash, _digest(seq, entry, prev_hash))


def first_broken(records: Iterable[AuditRecord]) -> AuditRecord | None:
    """The first record whose link or hash does not hold, walking in sequence order."""
    prev_hash, expected_seq = GENESIS, 1
    for record in records:
        intact = (
            record.seq == expected_seq
            and record.prev_hash == prev_hash
            and record.hash == _digest(record.seq, record.entry, record.prev_hash)
        )
        if not intact:
            return record
        prev_hash, expected_seq = record.hash, record.seq + 1
    return None
