"""Stored messages (documents and status packages) and their content-addressed attachments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from exchange.db.models import blobs, documents
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


class DocumentRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def id_for_dedup_key(self, key: str) -> int | None:
        query = select(documents.c.id).where(documents.c.dedup_key == key)
        return self._db.execute(query).scalar_one_or_none()

    def add(self, document: NewDocument, attachments: Sequence[tuple[str, bytes]]) -> int:
        rows = [{"sha256": sha, "size": len(data), "content": data} for sha, data in attachments]
        insert_ignore(self._db, blobs, rows)
        values = {name: getattr(document, name) for name in NewDocument.__slots__}
        result = self._db.execute(insert(documents).values(values).returning(documents.c.id))
        return int(result.scalar_one())

    def latest_edoc(self, sender_code: str, document_id: str, business_type: int) -> int | None:
        query = (
            select(documents.c.id)
            .where(
                documents.c.sender_code == sender_code,
                documents.c.document_id == document_id,
                documents.c.kind == "edoc",
                documents.c.business_type == business_type,
            )
            .order_by(documents.c.id.desc())
            .limit(1)
        )
        return self._db.execute(query).scalar_one_or_none()

    def get(self, doc_id: int) -> StoredDocument | None:
        columns = [documents.c[name] for name in StoredDocument.__slots__]
        row = self._db.execute(select(*columns).where(documents.c.id == doc_id)).first()
        return StoredDocument(*row) if row else None

    def blob_contents(self, shas: Sequence[str]) -> dict[str, bytes]:
        query = select(blobs.c.sha256, blobs.c.content).where(blobs.c.sha256.in_(set(shas)))
        return {sha: bytes(content) for sha, content in self._db.execute(query)}
