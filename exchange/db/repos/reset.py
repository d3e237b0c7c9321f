"""Clearing the exchange for a new class: every document, delivery, status and stored file
goes; systems, agencies (their secrets) and the audit log stay."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select, update

from exchange.db.models import blobs, deliveries, documents, nonces, status_events

__all__ = ["ResetRepository"]


class ResetRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def clear_exchange(self) -> int:
        """How many documents (and status packages) were removed."""
        count = self._db.execute(select(func.count()).select_from(documents)).scalar_one()
        self._db.execute(update(documents).values(answers_doc=None))  # status packages' links
        for table in (status_events, deliveries, documents, blobs, nonces):
            self._db.execute(delete(table))
        return int(count)
