"""Rows written in bulk, as the live path would have left them: a table at a time, one
statement per table per chunk (COPY on PostgreSQL, executemany on SQLite), a transaction per
chunk. For `eoffice db import-history`; the hub is not serving meanwhile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from exchange.db.models import audit_log, blobs, deliveries, documents, status_events
from exchange.db.repos.audit import AuditRepository, audit_row
from exchange.db.repos.upsert import insert_ignore
from exchange.domain.audit import AuditEntry, seal

__all__ = ["AlreadyStored", "BulkLoader", "BulkRows"]

Row = dict[str, Any]


@dataclass(slots=True)
class BulkRows:
    """A chunk: documents and deliveries carry their ids (rows refer to each other)."""

    blobs: dict[str, bytes] = field(default_factory=dict)
    documents: list[Row] = field(default_factory=list)
    deliveries: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


class AlreadyStored(Exception):
    """A chunk holds a message the hub has already (or holds one twice)."""

    def __init__(self, document_id: str) -> None:
        super().__init__(document_id)
        self.document_id = document_id


class BulkLoader:
    """Each call is its own transaction on the connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection
        self._postgres = connection.dialect.name == "postgresql"

    def next_ids(self) -> tuple[int, int]:
        """The first free document id and delivery id."""
        with self._db.begin():
            found = [
                self._db.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
                for table in (documents, deliveries)
            ]
        return int(found[0]) + 1, int(found[1]) + 1

    def write(self, rows: BulkRows) -> None:
        """The chunk in one transaction, or nothing of it (`AlreadyStored`)."""
        try:
            with self._db.begin():
                self._refuse_held(rows.documents)
                self._blobs(rows.blobs)
                self._insert(documents, rows.documents)
                self._insert(deliveries, rows.deliveries)
                self._insert(status_events, rows.events)
                self._audit(rows.audit)
        except IntegrityError:  # the chunk names one message twice
            raise AlreadyStored(_twice(rows.documents)) from None

    def finish(self) -> None:
        """PostgreSQL's id sequences moved past the ids given here."""
        if not self._postgres:
            return
        with self._db.begin():
            for table in ("documents", "deliveries", "status_events"):
                self._db.execute(text(_SETVAL.format(table=table)))

    def _refuse_held(self, rows: Sequence[Row]) -> None:
        keys = [row["dedup_key"] for row in rows]
        query = select(documents.c.dedup_key).where(documents.c.dedup_key.in_(keys))
        held = set(self._db.execute(query).scalars())
        if held:
            raise AlreadyStored(next(r["document_id"] for r in rows if r["dedup_key"] in held))

    def _blobs(self, contents: dict[str, bytes]) -> None:
        if not contents:
            return
        query = select(blobs.c.sha256).where(blobs.c.sha256.in_(list(contents)))
        known = set(self._db.execute(query).scalars())
        rows = [
            {"sha256": sha, "size": len(data), "content": data}
            for sha, data in contents.items()
            if sha not in known
        ]
        insert_ignore(self._db, blobs, rows)

    def _audit(self, entries: Sequence[AuditEntry]) -> None:
        """Sealed after the chain's head, as `AuditRepository.append` seals them."""
        if not entries:
            return
        repository = AuditRepository(self._db)
        repository.lock_head()
        seq, prev_hash = repository.head()
        rows = []
        for entry in entries:
            seq += 1
            record = seal(seq, entry, prev_hash)
            prev_hash = record.hash
            rows.append(audit_row(record))
        self._insert(audit_log, rows)

    def _insert(self, table: Table, rows: Sequence[Row]) -> None:
        """One statement for the rows (all with the same keys, in the same order)."""
        if not rows:
            return
        if self._postgres:
            _copy(self._db, table.name, list(rows[0]), (tuple(r.values()) for r in rows))
        else:
            self._db.execute(insert(table), list(rows))


_SETVAL = (
    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
    " (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
)


def _twice(rows: Sequence[Row]) -> str:
    seen: set[str] = set()
    for row in rows:
        if row["dedup_key"] in seen:
            return str(row["document_id"])
        seen.add(row["dedup_key"])
    return str(rows[0]["document_id"]) if rows else ""


def _copy(
    connection: Connection, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """COPY ... FROM STDIN through psycopg, in the connection's transaction."""
    raw = connection.connection.driver_connection
    assert raw is not None
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
