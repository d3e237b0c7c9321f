"""Counts for /metrics, computed from the database so every worker process agrees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from exchange.db.models import deliveries, documents, status_events

__all__ = ["HubCounts", "StatsRepository"]


@dataclass(frozen=True, slots=True)
class HubCounts:
    documents: dict[str, int]  # by kind
    deliveries: dict[str, int]  # by transport state
    statuses: dict[str, int]  # business status events by code


class StatsRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def counts(self) -> HubCounts:
        return HubCounts(
            documents=self._grouped(documents.c.kind),
            deliveries=self._grouped(deliveries.c.state),
            statuses=self._grouped(status_events.c.code),
        )

    def _grouped(self, column: object) -> dict[str, int]:
        query = select(column, func.count()).group_by(column)  # type: ignore[call-overload]
        return {str(key): int(count) for key, count in self._db.execute(query)}
