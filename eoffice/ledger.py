"""The hub's ledger as `eoffice reconcile` reads it: rows of `exchange.db.repos.ledger` turned
into the load tester's `HubDocument`s. Here, above both packages, so that neither imports the
other's side; imported when reconcile runs (the database code is not loaded before)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exchange.db.repos.ledger import LedgerDocument
    from loadtests.replay.reconcile import HubDocument

__all__ = ["hub_ledger"]


@contextmanager
def hub_ledger(url: str, after: int = 0) -> Iterator[tuple[Iterator[HubDocument], int]]:
    """The hub's documents with ids above `after` (a preloaded history's last; read lazily)
    and its open status deliveries, while open."""
    from exchange.db.engine import make_engine
    from exchange.db.repos.ledger import LedgerRepository

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            ledger = LedgerRepository(connection)
            found = ledger.documents(after=after)
            yield _hub_documents(found), ledger.open_status_deliveries()
    finally:
        engine.dispose()


def _hub_documents(rows: Iterator[LedgerDocument]) -> Iterator[HubDocument]:
    from loadtests.replay.reconcile import HubDelivery, HubDocument

    for row in rows:
        deliveries = tuple(HubDelivery(d.recipient, d.state, d.codes) for d in row.deliveries)
        yield HubDocument(row.sender, row.document_id, row.business_type, deliveries)
