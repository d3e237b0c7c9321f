"""The audit chain: sealed records verify; any change to any record is found."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from exchange.domain.audit import GENESIS, AuditEntry, AuditRecord, first_broken, seal

T0 = datetime(2018, 5, 2, 8, 30, tzinfo=UTC)


def _chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = AuditEntry(
            "document_accepted", T0 + timedelta(seconds=seq), "sys", str(seq), {"n": seq}
        )
        record = seal(seq, entry, prev)
        records.append(record)
        prev = record.hash
    return records


def test_an_untouched_chain_verifies() -> None:
    assert first_broken(_chain(5)) is None


def test_a_changed_detail_is_named() -> None:
    records = _chain(5)
    records[2] = replace(records[2], entry=replace(records[2].entry, detail={"n": 99}))
    broken = first_broken(records)
    assert broken is not None and broken.seq == 3


def test_a_removed_record_breaks_the_next_link() -> None:
    records = _chain(5)
    del records[1]
    broken = first_broken(records)
    assert broken is not None and broken.seq == 3


def test_naive_and_aware_utc_times_hash_alike() -> None:
    """SQLite hands back naive datetimes: the hash must not depend on that."""
    record = _chain(1)[0]
    naive = replace(record, entry=replace(record.entry, at=record.entry.at.replace(tzinfo=None)))
    assert first_broken([naive]) is None
