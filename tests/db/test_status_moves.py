"""A status move lands only on the row it was checked against: of two moves that both saw
01, the second finds 03 and lands nothing (one winner, whatever the isolation or workers)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exchange.db.engine import make_engine
from exchange.db.repos.deliveries import DeliveryRow
from exchange.db.repos.directory import SystemCredentials
from exchange.db.repos.documents import NewDocument
from exchange.db.store import Store
from exchange.db.writer import run_once
from exchange.domain.agencies import System

pytestmark = pytest.mark.db
NOW = datetime(2018, 5, 2, 9, 0, tzinfo=UTC)


def _one_delivery(store: Store) -> DeliveryRow:
    store.directory.save_systems([SystemCredentials(System("s", "s"), "secret")])
    document = NewDocument(
        "edoc", "key", "000.00.00.H37", "s", "doc-1", 1, b"<x/>", "m", "[]", 4, NOW
    )
    doc = store.documents.add(document, ())
    store.deliveries.add(doc, "edoc", [("000.00.31.H37", "s")], NOW)
    [row] = store.deliveries.of_doc(doc)
    return row


def test_a_move_checked_against_a_stale_read_never_lands(database_url: str) -> None:
    engine = make_engine(database_url)
    fresh = run_once(engine, _one_delivery)
    assert run_once(engine, lambda s: s.deliveries.move_status(fresh, "01", NOW))
    seen_01 = run_once(engine, lambda s: s.deliveries.get(fresh.id))
    assert seen_01 is not None and seen_01.business_status == "01"

    assert run_once(engine, lambda s: s.deliveries.move_status(seen_01, "03", NOW))
    assert not run_once(engine, lambda s: s.deliveries.move_status(seen_01, "02", NOW))
    assert not run_once(engine, lambda s: s.deliveries.move_recall(seen_01, "15"))
    final = run_once(engine, lambda s: s.deliveries.get(fresh.id))
    engine.dispose()
    assert final is not None and (final.business_status, final.recall_state) == ("03", None)
