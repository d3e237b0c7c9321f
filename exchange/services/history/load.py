"""`import_history`: a history file into the hub's database, a chunk of documents per
transaction, one statement per table per chunk. Run it on a hub that is not serving."""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from exchange.db.bulk import AlreadyStored, BulkLoader, BulkRows
from exchange.services.history.messages import Composer
from exchange.services.history.records import (
    HistoryAttachment,
    HistoryInvalid,
    read_history,
)
from exchange.services.history.rows import HistoryRows

__all__ = ["CHUNK", "HistoryLoaded", "import_history"]

CHUNK = 2000  # documents per transaction


@dataclass(frozen=True, slots=True)
class HistoryLoaded:
    documents: int
    deliveries: int  # the documents' deliveries
    status_packages: int
    rows: int  # every row written: documents, packages, deliveries, events, audit records
    seconds: float
    cpu_seconds: float  # this process's (the database server's not counted)
    first_doc: int  # the documents' ids are first_doc .. last_doc (packages included)
    last_doc: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"history: {self.documents:,} documents, {self.deliveries:,} deliveries,"
            f" {self.status_packages:,} status packages loaded in {self.seconds:.1f} s"
            f" ({self.cpu_seconds:.1f} s of CPU; {self.rows:,} rows, {self.rows_per_second:,.0f}"
            " rows/s)"
        )


def import_history(
    loader: BulkLoader, composer: Composer, path: Path, *, chunk: int = CHUNK
) -> HistoryLoaded:
    """Load the file through `loader` (its connection is the hub's database)."""
    began, cpu = time.perf_counter(), time.process_time()
    header, records = read_history(path)
    first_doc, first_delivery = loader.next_ids()
    builder = HistoryRows(composer, header.until, first_doc, first_delivery)
    tally, rows = _Tally(), BulkRows()
    with closing(records):
        for record in records:
            if isinstance(record, HistoryAttachment):
                builder.attachment(record)
                continue
            builder.document(record, rows)
            tally.documents += 1
            if tally.documents % chunk == 0:
                rows = _flush(loader, rows, tally)
    _flush(loader, rows, tally)
    loader.finish()
    return HistoryLoaded(
        documents=tally.documents,
        deliveries=tally.deliveries,
        status_packages=builder.statuses,
        rows=tally.rows,
        seconds=time.perf_counter() - began,
        cpu_seconds=time.process_time() - cpu,
        first_doc=first_doc,
        last_doc=builder.next_doc - 1,
    )


@dataclass(slots=True)
class _Tally:
    documents: int = 0
    deliveries: int = 0
    rows: int = 0


def _flush(loader: BulkLoader, rows: BulkRows, tally: _Tally) -> BulkRows:
    """Write a chunk in one transaction; a fresh chunk to fill."""
    if not rows.documents:
        return rows
    try:
        loader.write(rows)
    except AlreadyStored as error:
        message = f"the hub holds {error.document_id} already, or the file names it twice"
        raise HistoryInvalid("history_document_exists", 0, message) from None
    tally.deliveries += sum(1 for row in rows.deliveries if row["kind"] == "edoc")
    tally.rows += len(rows.documents) + len(rows.deliveries) + len(rows.events) + len(rows.audit)
    return BulkRows()
