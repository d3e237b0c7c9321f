"""A new class: the exchange is cleared (documents, deliveries, statuses) on both databases,
while systems, their secrets and the audit log stay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exchange.db.engine import make_engine
from exchange.db.repos.directory import SystemCredentials
from exchange.db.repos.documents import NewDocument
from exchange.db.store import Store
from exchange.db.writer import run_once
from exchange.domain.agencies import System

pytestmark = pytest.mark.db
NOW = datetime(2018, 5, 2, 9, 0, tzinfo=UTC)


def _exchange(store: Store) -> int:
    store.directory.save_systems([SystemCredentials(System("s", "s"), "secret")])
    document = NewDocument(
        "edoc", "key", "000.00.00.H37", "s", "doc-1", 1, b"<x/>", "m", "[]", 4, NOW
    )
    doc = store.documents.add(document, ())
    store.deliveries.add(doc, "edoc", [("000.00.31.H37", "s")], NOW)
    [row] = store.deliveries.of_doc(doc)
    store.deliveries.move_status(row, "01", NOW)
    return doc


def test_the_exchange_is_cleared_and_the_systems_stay(database_url: str) -> None:
    engine = make_engine(database_url)
    doc = run_once(engine, _exchange)
    assert run_once(engine, lambda s: s.reset.clear_exchange()) == 1
    assert run_once(engine, lambda s: s.deliveries.of_doc(doc)) == []
    assert run_once(engine, lambda s: s.directory.secrets()) == {"s": "secret"}
    assert run_once(engine, lambda s: s.reset.clear_exchange()) == 0
    engine.dispose()
