"""Stored messages (documents and status packages) and their content-addressed attachments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from exchange.db.models import blobs, documents
from exchange.db.prepared import Prepared
from exchange.db.repos.upsert import insert_ignore

__all__ = ["DocumentRepository", "NewDocument", "StoredDocument"]


@dataclass(frozen=True, slots=True)
class NewDocument:
    kind: str  # edoc | status
    dedup_key: str
    sender_code: str
    sender_system: str
    document_id: str
    business_type: int
    skeleton: bytes
    marker_key: str
    parts: str  # JSON list of [sha256, layout]
    size: int
    created_at: datetime
    status_code: str | None = None
    answers_doc: int | None = None
    signature: str | None = None
    verification: str | None = None
    title: str | None = None
    notation: str | None = None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    kind: str
    sender_code: str
    sender_system: str
    document_id: str
    skeleton: bytes
    marker_key: str
    parts: str
    verification: str | None
    created_at: datetime
    title: str | None
    notation: str | None


# Built once: constructing statements per call costs more than SQLite running them.
_D = documents.c
_BY_DEDUP_KEY = Prepared(select(_D.id).where(_D.dedup_key == bindparam("key")))
_LATEST_EDOC = Prepared(
    select(_D.id)
    .where(
        _D.sender_code == bindparam("sender"),
        _D.document_id == bindparam("document_id"),
        _D.kind == "edoc",
        _D.business_type == bindparam("business_type"),
    )
    .order_by(_D.id.desc())
    .limit(1)
)
_GET = Prepared(
    select(*(_D[name] for name in StoredDocument.__slots__)).where(_D.id == bindparam("id"))
)
_SENDER = Prepared(select(_D.sender_code, _D.sender_system).where(_D.id == bindparam("id")))
_INSERT = Prepared(insert(documents).returning(_D.id))
_BLOB = Prepared(select(blobs.c.content).where(blobs.c.sha256 == bindparam("sha")))


class DocumentRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def id_for_dedup_key(self, key: str) -> int | None:
        return _scalar(_BY_DEDUP_KEY.first(self._db, {"key": key}))

    def add(self, document: NewDocument, attachments: Sequence[tuple[str, bytes]]) -> int:
        self._add_blobs(attachments)
        values = {name: getattr(document, name) for name in NewDocument.__slots__}
        return int(_INSERT.insert_returning(self._db, values))

    def _add_blobs(self, attachments: Sequence[tuple[str, bytes]]) -> None:
        """Content-addressed: an attachment already stored is not sent to the database again."""
        if not attachments:
            return
        known = set(self.blob_contents([sha for sha, _ in attachments]))
        fresh = {sha: data for sha, data in attachments if sha not in known}
        rows = [{"sha256": sha, "size": len(data), "content": data} for sha, data in fresh.items()]
        insert_ignore(self._db, blobs, rows)

    def latest_edoc(self, sender_code: str, document_id: str, business_type: int) -> int | None:
        parameters = {
            "sender": sender_code,
            "document_id": document_id,
            "business_type": business_type,
        }
        return _scalar(_LATEST_EDOC.first(self._db, parameters))

    def get(self, doc_id: int) -> StoredDocument | None:
        row = _GET.first(self._db, {"id": doc_id})
        return StoredDocument(*row) if row else None

    def sender_of(self, doc_id: int) -> tuple[str, str] | None:
        """(sender agency, sender system) of a stored message."""
        row = _SENDER.first(self._db, {"id": doc_id})
        return (row[0], row[1]) if row else None

    def blob_contents(self, shas: Sequence[str]) -> dict[str, bytes]:
        """The stored attachments among `shas` (a lookup each: a message has few)."""
        found = {sha: _BLOB.first(self._db, {"sha": sha}) for sha in dict.fromkeys(shas)}
        return {sha: bytes(row[0]) for sha, row in found.items() if row is not None}


def _scalar(row: tuple[Any, ...] | None) -> int | None:
    return int(row[0]) if row is not None else None
