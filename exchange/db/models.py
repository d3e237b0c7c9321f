"""The hub's tables (SQLAlchemy Core). Alembic migrations create them; tests compare the two."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

__all__ = [
    "agencies",
    "audit_log",
    "blobs",
    "deliveries",
    "documents",
    "metadata",
    "nonces",
    "status_events",
    "systems",
]

metadata = MetaData()
ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrement needs INTEGER
UTC = DateTime(timezone=True)

systems = Table(
    "systems",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("secret", String(128), nullable=False),
)

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(35), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("parent", String(35)),
    Column("qd20_code", String(35)),
    Column("province", String(64)),
    Column("system_id", String(64), ForeignKey("systems.id"), nullable=False),
    Column("mail", String(255)),
    Column("mobile", String(32)),
    Column("fax", String(32)),
    Column("old_code", String(35)),
    # the directory's change log, as getSynchronizeUnit reports it
    Column("version", Integer, nullable=False, server_default="1"),
    Column("deleted", Boolean, nullable=False, server_default=false()),
    Column("modified_at", UTC),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),  # edoc | status
    Column("dedup_key", String(64), nullable=False, unique=True),
    Column("sender_code", String(35), nullable=False),
    Column("sender_system", String(64), nullable=False),
    Column("document_id", String(255), nullable=False),  # the business DocumentId
    Column("business_type", Integer, nullable=False),
    Column("status_code", String(2)),  # status packages only
    Column("answers_doc", ID, ForeignKey("documents.id")),  # status packages only
    Column("skeleton", LargeBinary, nullable=False),
    Column("marker_key", String(32), nullable=False),
    Column("parts", Text, nullable=False),  # JSON: [[sha256, layout], ...]
    Column("size", BigInteger, nullable=False),
    Column("created_at", UTC, nullable=False),
    Column("title", String(500)),  # edoc: its subject (TrichYeu), cut to 500 characters
    Column("notation", String(100)),  # edoc: number/notation, e.g. "12/UBND-VP"
    Column("signature", String(40)),  # "valid", a problem code, or NULL when not checked
    Column("verification", Text),  # JSON: who signed, what failed and why
)
Index("ix_documents_lookup", documents.c.sender_code, documents.c.document_id)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("doc", ID, ForeignKey("documents.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("recipient_code", String(35), nullable=False),
    Column("recipient_system", String(64), nullable=False),
    Column("state", String(8), nullable=False),  # pending | working | failed | done
    Column("open_for", String(64)),  # the recipient system until acknowledged done, then NULL
    Column("fail_count", Integer, nullable=False, default=0),
    Column("acked_at", UTC),
    Column("business_status", String(2)),  # edoc deliveries: latest of 01..06
    Column("business_status_at", UTC),
    Column("recall_state", String(2)),  # 13 | 15 | 16
    Column("created_at", UTC, nullable=False),
)
# The inbox is a range scan over what is still open; acknowledged rows leave the index's range.
Index("ix_deliveries_inbox", deliveries.c.open_for, deliveries.c.id)
Index("ix_deliveries_doc", deliveries.c.doc, deliveries.c.recipient_code, unique=True)
Index("ix_deliveries_doc_system", deliveries.c.doc, deliveries.c.recipient_system)

status_events = Table(
    "status_events",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("delivery", ID, ForeignKey("deliveries.id"), nullable=False),
    Column("code", String(2), nullable=False),
    Column("status_doc", ID, ForeignKey("documents.id"), nullable=False),
    Column("at", UTC, nullable=False),
)
Index("ix_status_events_delivery", status_events.c.delivery)

nonces = Table(
    "nonces",
    metadata,
    Column("system_id", String(64), primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("expires_at", UTC, nullable=False),
)
Index("ix_nonces_expiry", nonces.c.expires_at)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", ID, primary_key=True, autoincrement=False),
    Column("at", UTC, nullable=False),
    Column("event", String(32), nullable=False),
    Column("system_id", String(64)),
    Column("subject", String(255)),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
