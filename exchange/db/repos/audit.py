"""The audit chain's storage: append sealed records, walk them in order."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, insert, select, text

from exchange.db.models import audit_log
from exchange.db.prepared import Prepared
from exchange.domain.audit import GENESIS, AuditEntry, AuditRecord, seal

__all__ = ["AuditRepository", "audit_row"]

_HEAD = Prepared(
    select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
)
_INSERT = Prepared(insert(audit_log))


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def lock_head(self) -> None:
        """Serialise appenders across processes (SQLite already holds its write lock)."""
        if self._db.dialect.name == "postgresql":
            self._db.execute(text("SELECT pg_advisory_xact_lock(7102016)"))

    def head(self) -> tuple[int, str]:
        row = _HEAD.first(self._db, {})
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def append(self, entries: Sequence[AuditEntry]) -> tuple[int, str] | None:
        """Seal and insert the entries after the head; the new head (None: nothing to add)."""
        if not entries:
            return None
        self.lock_head()
        seq, prev_hash = self.head()
        rows = []
        for entry in entries:
            seq += 1
            record = seal(seq, entry, prev_hash)
            prev_hash = record.hash
            rows.append(audit_row(record))
        _INSERT.insert(self._db, rows)
        return seq, prev_hash

    def walk(self, batch: int = 5000) -> Iterator[AuditRecord]:
        last = 0
        while True:
            query = select(audit_log).where(audit_log.c.seq > last).order_by(audit_log.c.seq)
            rows = self._db.execute(query.limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _record(row)
            last = rows[-1].seq


def audit_row(record: AuditRecord) -> dict[str, object]:
    """A sealed record as the audit_log table stores it (the live path's and a bulk load's)."""
    e = record.entry
    return {
        "seq": record.seq,
        "at": e.at,
        "event": e.event,
        "system_id": e.system_id,
        "subject": e.subject,
        "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def _record(row: object) -> AuditRecord:
    entry = AuditEntry(
        event=row.event,  # type: ignore[attr-defined]
        at=row.at,  # type: ignore[attr-defined]
        system_id=row.system_id,  # type: ignore[attr-defined]
        subject=row.subject,  # type: ignore[attr-defined]
        detail=json.loads(row.detail),  # type: ignore[attr-defined]
    )
    return AuditRecord(row.seq, entry, row.prev_hash, row.hash)  # type: ignore[attr-defined]
