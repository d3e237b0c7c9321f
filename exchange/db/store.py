"""`Store`: the repositories of one unit of work, plus the audit entries it wants written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from exchange.db.repos.audit import AuditRepository
from exchange.db.repos.deliveries import DeliveryRepository
from exchange.db.repos.directory import DirectoryRepository
from exchange.db.repos.documents import DocumentRepository
from exchange.db.repos.nonces import NonceRepository
from exchange.db.repos.reset import ResetRepository
from exchange.domain.audit import AuditEntry

__all__ = ["Store"]


class Store:
    """Handed to a service; audit entries are chained by the writer once the work succeeds."""

    def __init__(self, connection: Connection, now: datetime) -> None:
        self.now = now
        self.directory = DirectoryRepository(connection)
        self.documents = DocumentRepository(connection)
        self.deliveries = DeliveryRepository(connection)
        self.nonces = NonceRepository(connection)
        self.audit_log = AuditRepository(connection)
        self.reset = ResetRepository(connection)  # a new class (the trainers' workbench)
        self.audit: list[AuditEntry] = []

    def record(
        self, event: str, system_id: str | None, subject: str | None, **detail: object
    ) -> None:
        self.audit.append(AuditEntry(event, self.now, system_id, subject, dict(detail)))
