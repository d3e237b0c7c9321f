"""`Prepared` runs a Core statement on the driver and gives back what SQLAlchemy would have:
the same values, datetimes included, on both databases, inside the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, bindparam, insert, select, update

from exchange.db.engine import make_engine
from exchange.db.models import deliveries, documents, systems
from exchange.db.prepared import Prepared

pytestmark = pytest.mark.db
AT = datetime(2018, 5, 2, 9, 30, 15, 123456, tzinfo=UTC)
D = deliveries.c
_INSERT_DOCUMENT = Prepared(insert(documents).returning(documents.c.id))
_INSERT_DELIVERIES = Prepared(insert(deliveries))
_BY_DOC_STATEMENT = select(D.id, D.state, D.created_at, D.acked_at).where(D.doc == bindparam("doc"))
_BY_DOC = Prepared(_BY_DOC_STATEMENT)
_CLOSE = Prepared(
    update(deliveries)
    .where(D.doc == bindparam("doc"), D.state != "done")
    .values(state="done", acked_at=bindparam("now"))
)


def _document(connection: Connection) -> int:
    connection.execute(insert(systems), [{"id": "s", "name": "s", "secret": "x"}])
    row = {
        "kind": "edoc",
        "dedup_key": "k",
        "sender_code": "000.00.00.H37",
        "sender_system": "s",
        "document_id": "000.00.00.H37,2018/05/02,1/UBND-VP",
        "business_type": 0,
        "skeleton": b"<x/>",
        "marker_key": "m",
        "parts": "[]",
        "size": 4,
        "created_at": AT,
    }
    return int(_INSERT_DOCUMENT.insert_returning(connection, row))


def _deliveries(doc: int, codes: list[str]) -> list[dict[str, object]]:
    return [
        {
            "doc": doc,
            "kind": "edoc",
            "recipient_code": code,
            "recipient_system": "s",
            "state": "pending",
            "open_for": "s",
            "fail_count": 0,
            "created_at": AT,
        }
        for code in codes
    ]


def test_rows_read_back_as_sqlalchemy_reads_them(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection, connection.begin():
        doc = _document(connection)
        _INSERT_DELIVERIES.insert(connection, _deliveries(doc, ["a", "b", "c"]))
        assert _CLOSE.run(connection, {"doc": doc, "now": AT}) == 3
        assert _CLOSE.run(connection, {"doc": doc, "now": AT}) == 0  # nothing left to close
        ours = _BY_DOC.rows(connection, {"doc": doc})
        theirs = connection.execute(_BY_DOC_STATEMENT, {"doc": doc}).all()
    engine.dispose()
    assert [tuple(row) for row in theirs] == ours
    assert [state for _, state, _, _ in ours] == ["done"] * 3
    created = ours[0][2]
    assert isinstance(created, datetime)
    assert created.replace(tzinfo=UTC) == AT  # SQLite gives back naive UTC, as with execute


def test_a_rolled_back_transaction_keeps_nothing_prepared_wrote(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        with connection.begin() as transaction:
            doc = _document(connection)
            _INSERT_DELIVERIES.insert(connection, _deliveries(doc, ["a"]))
            transaction.rollback()
        with connection.begin():
            assert _BY_DOC.first(connection, {"doc": doc}) is None
    engine.dispose()


def test_a_statement_with_a_list_parameter_is_refused_when_compiled(database_url: str) -> None:
    listed = Prepared(select(D.id).where(D.id.in_(bindparam("ids", expanding=True))))
    engine = make_engine(database_url)
    with engine.connect() as connection, pytest.raises(ValueError, match="per execution"):
        listed.rows(connection, {"ids": [1, 2]})
    engine.dispose()
