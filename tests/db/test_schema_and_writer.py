"""The migrations build the schema the code uses; the group commit keeps units apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from exchange.db.engine import make_engine
from exchange.db.models import audit_log, metadata, nonces, systems
from exchange.db.repos.directory import SystemCredentials
from exchange.db.repos.nonces import NonceClaim
from exchange.db.store import Store
from exchange.db.writer import make_writer
from exchange.domain.agencies import System
from exchange.domain.errors import AuthReplayed, RecipientUnknown

pytestmark = pytest.mark.db


def test_migrations_match_the_tables_the_code_declares(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def _unit(name: str, fail: bool = False):  # type: ignore[no-untyped-def]
    def unit(store: Store) -> str:
        store.directory.save_systems([SystemCredentials(System(name, name), "secret")])
        store.record("registered", name, name)
        if fail:
            raise RecipientUnknown("refused after writing: must leave nothing behind")
        return name

    return unit


def _claim(nonce: str) -> NonceClaim:
    return NonceClaim("sys", nonce, datetime(2030, 1, 1, tzinfo=UTC))


def test_a_refused_unit_leaves_nothing_while_its_batch_mates_land(database_url: str) -> None:
    engine = make_engine(database_url)
    writer = make_writer(engine, max_batch=64)

    async def burst() -> list[object]:
        runs = [writer.run(_unit(f"s{i}", fail=(i % 3 == 0)), _claim(f"n{i}")) for i in range(30)]
        return await asyncio.gather(*runs, return_exceptions=True)

    writer.start()
    try:
        outcomes = asyncio.run(burst())
    finally:
        writer.stop()
    assert sum(isinstance(o, RecipientUnknown) for o in outcomes) == 10
    with engine.connect() as connection:
        stored = set(connection.execute(select(systems.c.id)).scalars())
        claimed = set(connection.execute(select(nonces.c.nonce)).scalars())
        audited = connection.execute(select(func.count()).select_from(audit_log)).scalar_one()
    engine.dispose()
    assert stored == {f"s{i}" for i in range(30) if i % 3}
    assert claimed == {f"n{i}" for i in range(30) if i % 3}  # a refusal keeps no nonce
    assert audited == 20  # only the units that landed are in the chain
    assert writer.batches < writer.units  # they really were grouped


def test_an_oversized_audit_entry_never_fails_its_batch_mates(database_url: str) -> None:
    """A claimed system id of 65 characters once failed a whole PostgreSQL batch."""
    engine = make_engine(database_url)
    writer = make_writer(engine, max_batch=64)

    def hostile(store: Store) -> None:
        store.record("refused" + "!" * 40, "s" * 65, "x" * 300, reason="r" * 10_000)

    async def burst() -> list[object]:
        runs = [writer.run(_unit(f"s{i}")) for i in range(19)]
        return await asyncio.gather(writer.run(hostile), *runs, return_exceptions=True)

    writer.start()
    try:
        outcomes = asyncio.run(burst())
    finally:
        writer.stop()
    assert not [o for o in outcomes if isinstance(o, BaseException)]
    with engine.connect() as connection:
        stored = set(connection.execute(select(systems.c.id)).scalars())
        row = connection.execute(select(audit_log).order_by(audit_log.c.seq).limit(1)).one()
    engine.dispose()
    assert stored == {f"s{i}" for i in range(19)}
    assert (len(row.event), len(row.system_id), len(row.subject)) == (32, 64, 255)


def test_the_audit_bounds_are_the_columns() -> None:
    from exchange.domain.audit import MAX_EVENT, MAX_SUBJECT, MAX_SYSTEM_ID

    columns = audit_log.c
    assert (columns.event.type.length, columns.system_id.type.length) == (MAX_EVENT, MAX_SYSTEM_ID)
    assert columns.subject.type.length == MAX_SUBJECT


def test_a_nonce_used_twice_in_one_batch_is_a_replay(database_url: str) -> None:
    engine = make_engine(database_url)
    writer = make_writer(engine)

    async def twice() -> list[object]:
        runs = [writer.run(_unit(f"t{i}"), _claim("same")) for i in range(2)]
        return await asyncio.gather(*runs, return_exceptions=True)

    writer.start()
    try:
        first, second = asyncio.run(twice())
    finally:
        writer.stop()
    engine.dispose()
    assert first == "t0"
    assert isinstance(second, AuthReplayed)


def test_a_unique_conflict_with_another_transaction_reruns_the_unit(database_url: str) -> None:
    """Two worker processes store the same document at once: the second sees the first's,
    as a duplicate, instead of failing on the unique key."""
    import threading

    from exchange.db.repos.documents import NewDocument
    from exchange.db.writer import run_once

    now = datetime(2018, 5, 2, 9, 0, tzinfo=UTC)
    document = NewDocument(
        kind="edoc",
        dedup_key="k" * 64,
        sender_code="000.00.00.H37",
        sender_system="ninh-binh-tinh",
        document_id="000.00.00.H37,2018/05/02,1/UBND-VP",
        business_type=0,
        skeleton=b"<edXML/>",
        marker_key="m",
        parts="[]",
        size=8,
        created_at=now,
    )

    def store_once(store: Store) -> tuple[str, int]:
        existing = store.documents.id_for_dedup_key(document.dedup_key)
        if existing is not None:
            return "duplicate", existing
        return "new", store.documents.add(document, ())

    engine = make_engine(database_url)
    second: dict[str, object] = {}
    with engine.connect() as connection:
        transaction = connection.begin()
        first = store_once(Store(connection, now))  # stored, not yet committed
        racer = threading.Thread(target=lambda: second.update(r=run_once(engine, store_once)))
        racer.start()
        racer.join(0.5)  # the racer now waits on the unique key (or on SQLite's write lock)
        transaction.commit()
        racer.join(30)
    engine.dispose()
    assert first[0] == "new"
    assert second["r"] == ("duplicate", first[1])


def test_the_writer_deletes_nonces_past_their_expiry(database_url: str) -> None:
    """Replay protection must not grow the database by a row per request forever."""
    engine = make_engine(database_url)
    writer = make_writer(engine)
    expired = NonceClaim("sys", "old", datetime(2000, 1, 1, tzinfo=UTC))

    async def two() -> None:
        await writer.run(_unit("a"), expired)
        await writer.run(_unit("b"), _claim("live"))

    writer.start()
    try:
        asyncio.run(two())
    finally:
        writer.stop()
    with engine.connect() as connection:
        left = set(connection.execute(select(nonces.c.nonce)).scalars())
    engine.dispose()
    assert left == {"live"}
