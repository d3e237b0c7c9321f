"""`eoffice db import-history`: a history loaded in bulk leaves what the live exchange would
have: documents fetchable by getEdoc, per-recipient statuses in getSentEdocList, nothing left
in any inbox, an audit chain that verifies, and new traffic numbered after it. A bad file is
refused with a stable code and the line; the chunk holding the bad line is not written (the
chunks before it are). Both back ends."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exchange.api import create_app
from exchange.db.audit_check import verify_audit_chain
from exchange.db.bulk import BulkLoader
from exchange.db.engine import make_engine
from exchange.db.writer import run_once
from exchange.domain.agencies import Agency
from exchange.domain.docids import sender_doc_id, sender_row
from exchange.edxml import parse_edxml
from exchange.registry import load_registry
from exchange.services.directory import load_directory
from exchange.services.history.load import HistoryLoaded, import_history
from exchange.services.history.messages import Composer
from exchange.services.history.records import HistoryInvalid
from exchange.services.seeding import seed
from exchange.settings import Settings
from tests.api.harness import Hub, edoc, edxml, make_settings

pytestmark = pytest.mark.db

ICT = timezone(timedelta(hours=7))
SENT = datetime(2017, 3, 6, 8, 30, tzinfo=ICT)
UNTIL = datetime(2017, 3, 20, tzinfo=ICT)
PDF = b"%PDF-1.4 history attachment"


@dataclass
class Seeded:
    settings: Settings
    agencies: dict[str, Agency]
    secrets: dict[str, str]
    sender: Agency
    a: Agency
    b: Agency


@pytest.fixture
def seeded(database_url: str, tmp_path: Path) -> Seeded:
    registries = [load_registry("ninh-binh", "2019"), load_registry("central")]
    engine = make_engine(database_url)
    credentials = run_once(engine, lambda store: seed(store, registries))
    engine.dispose()
    agencies = {a.code: a for r in registries for a in r.agencies}
    by_system: dict[str, Agency] = {}
    for agency in agencies.values():
        by_system.setdefault(agency.system_id, agency)
    sender, a, b = list(by_system.values())[:3]
    secrets = {c.system.id: c.secret for c in credentials}
    return Seeded(make_settings(database_url, tmp_path), agencies, secrets, sender, a, b)


def _at(hours: float) -> str:
    return (SENT + timedelta(hours=hours)).isoformat()


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    header = {"type": "history", "format": "eoffice-history/1", "until": UNTIL.isoformat()}
    lines = [header, *records]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    return path


ATTACHMENT = {
    "type": "attachment",
    "id": "cid:1",
    "name": "congvan.pdf",
    "mime": "application/pdf",
    "data": base64.b64encode(PDF).decode(),
}


def _document(
    sender: Agency, recipients: list[Agency], number: int, statuses: list[Any]
) -> dict[str, Any]:
    return {
        "type": "document",
        "sender": sender.code,
        "number": number,
        "notation": "UBND-VP",
        "subject": "V/v báo cáo tình hình & kết quả",
        "priority": 1,
        "sent_at": SENT.isoformat(),
        "recipients": [r.code for r in recipients],
        "attachments": ["cid:1"],
        "statuses": [{"by": by.code, "code": code, "at": _at(h)} for by, code, h in statuses],
    }


def _history(s: Seeded, tmp_path: Path) -> Path:
    first = _document(s.sender, [s.a, s.b], 7, [
        (s.a, "01", 0.1), (s.b, "01", 0.2), (s.a, "03", 1), (s.b, "02", 2), (s.a, "05", 1),
    ])  # fmt: skip
    recalled = _document(
        s.sender, [s.a], 8, [(s.a, "01", 0.5), (s.sender, "13", 3), (s.a, "15", 4)]
    )
    return _write(tmp_path / "history.jsonl", [ATTACHMENT, first, recalled])


def _load(s: Seeded, path: Path) -> HistoryLoaded:
    engine = make_engine(s.settings.database_url)
    try:
        composer = Composer(run_once(engine, load_directory), s.settings.hub_organ_id, _unchecked)
        with engine.connect() as connection:
            return import_history(BulkLoader(connection), composer, path, chunk=1)
    finally:
        engine.dispose()


def _unchecked(*_args: object) -> None:
    return None


def _count(s: Seeded, table: str) -> int:
    engine = make_engine(s.settings.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def served(seeded: Seeded) -> Iterator[Hub]:
    with TestClient(create_app(seeded.settings), base_url="http://hub") as http:
        yield Hub(http, seeded.secrets, seeded.agencies, seeded.settings)


def test_a_history_loads_as_the_live_exchange_would_have_left_it(
    seeded: Seeded, tmp_path: Path
) -> None:
    loaded = _load(seeded, _history(seeded, tmp_path))
    assert (loaded.documents, loaded.deliveries, loaded.status_packages) == (2, 3, 8)
    assert loaded.line().startswith(
        "history: 2 documents, 3 deliveries, 8 status packages loaded in"
    )
    with TestClient(create_app(seeded.settings), base_url="http://hub") as http:
        hub = Hub(http, seeded.secrets, seeded.agencies, seeded.settings)
        rows = hub.of(seeded.sender).get_sent_edoc_list(sender_doc_id(loaded.first_doc)).data
        by_code = {row["toCode"]: row for row in rows}
        assert by_code[seeded.a.code]["receiveStatus"] == "05"
        assert [h["code"] for h in by_code[seeded.a.code]["history"]] == ["01", "03", "05"]
        assert by_code[seeded.b.code]["receiveStatus"] == "02"
        assert {row["sendStatus"] for row in rows} == {"done"}
        fetched = hub.of(seeded.a).get_edoc(by_code[seeded.a.code]["receiverDocId"])
        body = base64.b64decode(str(fetched.raise_if_refused().fields["data"]))
        message = parse_edxml(body).message
        assert message.document_id == f"{seeded.sender.code},2017/03/06,7/UBND-VP"
        assert message.attachments[0].data == PDF
        assert message.traces[-1].organ_id == seeded.settings.hub_organ_id
        assert message.traces[-1].timestamp == "2017/03/06 08:30:00"
        for agency in (seeded.sender, seeded.a, seeded.b):
            assert hub.of(agency).inbox("edoc") == [] and hub.of(agency).inbox("status") == []
        live = hub.of(seeded.sender).send(edxml(edoc(seeded.sender, [seeded.a], number=99)))
        assert live.http_status == 201
        assert (sender_row(str(live.fields["DocId"])) or 0) > loaded.last_doc
    engine = make_engine(seeded.settings.database_url)
    records, broken = verify_audit_chain(engine)
    with engine.connect() as connection:  # SQLite keeps times as text: in the live path's form
        stored = connection.exec_driver_sql("SELECT created_at FROM deliveries").scalars().all()
        sqlite = engine.dialect.name == "sqlite"
    engine.dispose()
    if sqlite:
        assert {re.sub(r"\d", "9", text) for text in stored} == {"9999-99-99 99:99:99.999999"}
    # seeding 2; accepted: 2 documents, 8 status packages; acknowledged: 3 copies, 8 packages
    # deliveries (the 13 went to its one recipient); the live document 1
    assert broken is None and records == 2 + 2 + 8 + 3 + 8 + 1


def test_a_recall_leaves_its_13_and_the_answer_on_the_delivery(
    seeded: Seeded, tmp_path: Path
) -> None:
    loaded = _load(seeded, _history(seeded, tmp_path))
    with TestClient(create_app(seeded.settings), base_url="http://hub") as http:
        hub = Hub(http, seeded.secrets, seeded.agencies, seeded.settings)
        (row,) = hub.of(seeded.sender).get_sent_edoc_list(sender_doc_id(loaded.first_doc + 6)).data
    assert row["recallStatus"] == "15"
    assert [h["code"] for h in row["history"]] == ["01", "13", "15"]


def _refusal(seeded: Seeded, path: Path) -> HistoryInvalid:
    with pytest.raises(HistoryInvalid) as caught:
        _load(seeded, path)
    return caught.value


def test_a_history_loads_once(seeded: Seeded, tmp_path: Path) -> None:
    path = _history(seeded, tmp_path)
    _load(seeded, path)
    before = _count(seeded, "documents"), _count(seeded, "audit_log")
    assert _refusal(seeded, path).code == "history_document_exists"
    assert (_count(seeded, "documents"), _count(seeded, "audit_log")) == before


@pytest.mark.parametrize(
    ("change", "code", "line"),
    [
        (lambda d, s: d["statuses"].insert(0, {"by": s.a.code, "code": "03", "at": _at(0)}),
         "history_status_transition_not_allowed", 3),
        (lambda d, s: d.update(recipients=["000.99.99.X99"]), "history_agency_unknown", 3),
        (lambda d, s: d.update(attachments=["cid:none"]), "history_attachment_unknown", 3),
        (lambda d, s: d.update(sent_at=UNTIL.isoformat()), "history_time_invalid", 3),
        (lambda d, s: d.update(number="seven"), "history_format_invalid", 3),
        (lambda d, s: d["statuses"].append({"by": s.b.code, "code": "01", "at": _at(1)}),
         "history_status_invalid", 3),
    ],
)  # fmt: skip
def test_a_bad_history_is_refused_with_its_code_and_line(
    seeded: Seeded, tmp_path: Path, change: Any, code: str, line: int
) -> None:
    document = _document(seeded.sender, [seeded.a], 1, [(seeded.a, "01", 1)])
    change(document, seeded)
    refusal = _refusal(seeded, _write(tmp_path / "bad.jsonl", [ATTACHMENT, document]))
    assert refusal.code == code
    assert refusal.message.startswith(f"line {line}: ")
    assert _count(seeded, "documents") == 0


def test_a_file_that_is_not_a_history_is_refused(seeded: Seeded, tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"type": "something else"}\n')
    assert _refusal(seeded, path).code == "history_format_invalid"
    header = {"type": "history", "format": "eoffice-history/1", "until": UNTIL.isoformat()}
    path.write_text(json.dumps(header) + "\nnot json\n")
    refusal = _refusal(seeded, path)
    assert (refusal.code, refusal.line) == ("history_format_invalid", 2)
