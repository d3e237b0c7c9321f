"""Reset the class in one click: the hub forgets every document, delivery and status, each
agency's books start again (registers from 01), and the accounts, systems, secrets and
certificates stay. The old books are kept aside, not deleted."""

from __future__ import annotations

import os
from datetime import timedelta, timezone

from exchange.db.store import Store
from exchange.web.workbench import Workbench

__all__ = ["reset_class"]

VIETNAM = timezone(timedelta(hours=7))


async def reset_class(wb: Workbench) -> int:
    """How many documents the hub forgot."""
    async with wb.sync_lock:  # no system fetches meanwhile
        removed = await wb.hub.writer.run(_clear)
        books = wb.books.root
        if books.exists():
            moment = wb.clock().astimezone(VIETNAM)
            aside = books.with_name(f"workbench-before-{moment:%Y%m%d-%H%M%S-%f}")
            os.replace(books, aside)
        wb.wire.clear()
        wb.trainees.forget_progress()
        wb.failures.clear()
    return removed


def _clear(store: Store) -> int:
    removed = store.reset.clear_exchange()
    store.record("class_reset", None, None, documents=removed)
    return removed
