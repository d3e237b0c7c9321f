"""INSERT ... ON CONFLICT for both back ends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_ignore", "insert_new", "upsert"]


def _insert(connection: Connection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_ignore(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, skipping those whose key exists."""
    if rows:
        connection.execute(_insert(connection, table).on_conflict_do_nothing(), list(rows))


def insert_new(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> Sequence[Row[Any]]:
    """Insert rows unless their key exists; returns the primary keys of those that were new
    (RETURNING, not rowcount, which executemany paths do not report reliably)."""
    if not rows:
        return []
    keys = list(table.primary_key.columns)
    statement = _insert(connection, table).on_conflict_do_nothing().returning(*keys)
    return connection.execute(statement, list(rows)).all()


def upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    if not rows:
        return
    statement = _insert(connection, table)
    updates = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=updates), rows)
