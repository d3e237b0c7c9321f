"""Counts for /metrics, computed from the database so every worker process agrees.

Three GROUP BY scans (seconds at a million deliveries): read them through a read-only engine,
off the event loop and never inside the batch writer (`CountsReader`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select

from exchange.db.engine import make_reader
from exchange.db.models import deliveries, documents, status_events

__all__ = ["CountsReader", "HubCounts", "StatsRepository"]


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


class CountsReader:
    """The counts in one read transaction through a read-only engine of its own (made on
    first use; a connection per read, so nothing to close): never the writer's connection."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Engine | None = None

    def read(self) -> HubCounts:
        self._engine = self._engine or make_reader(self._url)
        with self._engine.connect() as connection, connection.begin():
            return StatsRepository(connection).counts()
