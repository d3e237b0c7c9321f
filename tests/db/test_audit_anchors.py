"""The writer anchors the audit chain outside the database; the check names what was cut from
the chain's end, or rewritten and re-sealed, which the chain alone cannot show."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from exchange.db.anchors import AnchorLog, read_anchors
from exchange.db.audit_check import verify_audit, verify_audit_chain
from exchange.db.engine import make_engine, make_reader
from exchange.db.models import audit_log
from exchange.db.repos.audit import AuditRepository
from exchange.db.store import Store
from exchange.db.writer import make_writer
from exchange.domain.audit import AuditEntry, seal

pytestmark = pytest.mark.db

AT = datetime(2018, 5, 2, 9, 15, tzinfo=UTC)


def _chain_of(database_url: str, folder: Path, records: int, every: int) -> None:
    """`records` audit records, a batch each, through a writer anchoring every `every`."""
    engine = make_engine(database_url)
    anchors = AnchorLog(folder, every_records=every, clock=lambda: AT)
    writer = make_writer(engine, clock=lambda: AT, anchors=anchors)

    def unit(n: int):  # type: ignore[no-untyped-def]
        return lambda store: store.record("registered", f"s{n}", f"s{n}", n=n)

    async def one_by_one() -> None:
        for n in range(1, records + 1):
            await writer.run(unit(n))

    writer.start()
    try:
        asyncio.run(one_by_one())
    finally:
        writer.stop()
    engine.dispose()


def _verdict(database_url: str, folder: Path):  # type: ignore[no-untyped-def]
    engine = make_reader(database_url)
    try:
        return verify_audit(engine, folder)
    finally:
        engine.dispose()


def _chain_alone_intact(database_url: str) -> bool:
    engine = make_reader(database_url)
    _, broken = verify_audit_chain(engine)
    engine.dispose()
    return broken is None


def test_the_writer_anchors_as_batches_land_and_at_stop(database_url: str, tmp_path: Path) -> None:
    _chain_of(database_url, tmp_path, records=12, every=5)
    assert [a.seq for a in read_anchors(tmp_path).anchors] == [5, 10, 12]
    verdict = _verdict(database_url, tmp_path)
    assert verdict.intact and verdict.records == 12
    assert verdict.holds is not None and verdict.holds.seq == 12 and verdict.unanchored == 0


def test_records_deleted_from_the_end_are_named(database_url: str, tmp_path: Path) -> None:
    _chain_of(database_url, tmp_path, records=12, every=5)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(delete(audit_log).where(audit_log.c.seq > 7))
    engine.dispose()
    assert _chain_alone_intact(database_url)  # what `audit verify` saw before anchors

    verdict = _verdict(database_url, tmp_path)
    assert not verdict.intact
    assert verdict.cut is not None and (verdict.cut.first, verdict.cut.last) == (8, 12)
    assert verdict.holds is not None and verdict.holds.seq == 5  # intact up to there
    assert verdict.rewritten is None


def _reseal_from(database_url: str, seq: int) -> None:
    """Change record `seq` and seal it and every record after it again, as one who can
    write the database (but not the anchors) would."""
    engine = make_engine(database_url)
    with engine.begin() as connection:
        records = list(AuditRepository(connection).walk())
        prev_hash = records[seq - 2].hash
        for record in records[seq - 1 :]:
            entry = record.entry
            if record.seq == seq:
                entry = replace(entry, detail={**entry.detail, "n": "rewritten"})
            resealed = seal(record.seq, entry, prev_hash)
            prev_hash = resealed.hash
            connection.execute(
                update(audit_log)
                .where(audit_log.c.seq == record.seq)
                .values(
                    detail=json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
                    prev_hash=resealed.prev_hash,
                    hash=resealed.hash,
                )
            )
    engine.dispose()


def test_a_rewrite_sealed_again_is_named_with_the_anchors_around_it(
    database_url: str, tmp_path: Path
) -> None:
    _chain_of(database_url, tmp_path, records=12, every=5)
    _reseal_from(database_url, 7)
    assert _chain_alone_intact(database_url)  # every link holds

    verdict = _verdict(database_url, tmp_path)
    assert not verdict.intact and verdict.cut is None
    assert verdict.rewritten is not None
    assert verdict.rewritten.anchor.seq == 10  # the first anchored head that moved
    assert verdict.rewritten.holds is not None and verdict.rewritten.holds.seq == 5


def test_an_unanchored_tail_is_counted(database_url: str, tmp_path: Path) -> None:
    """Records after the newest anchor are reported as such: a cut there would not show."""
    _chain_of(database_url, tmp_path, records=12, every=5)
    anchors = tmp_path / "audit-anchors.jsonl"
    anchors.write_text("".join(anchors.read_text().splitlines(keepends=True)[:2]))  # 5, 10
    verdict = _verdict(database_url, tmp_path)
    assert verdict.intact and verdict.unanchored == 2


def test_the_check_reads_beside_a_running_writer(database_url: str, tmp_path: Path) -> None:
    """`audit verify` takes no write lock: the writer commits while the check reads."""
    _chain_of(database_url, tmp_path, records=3, every=100)
    reader = make_reader(database_url)
    engine = make_engine(database_url)
    with reader.connect() as connection, connection.begin():
        assert AuditRepository(connection).head()[0] == 3  # a read transaction is open
        with engine.begin() as writing:  # SQLite: BEGIN IMMEDIATE would wait 30 s on a lock
            Store(writing, AT).audit_log.append([AuditEntry("registered", AT)])
    reader.dispose()
    engine.dispose()
