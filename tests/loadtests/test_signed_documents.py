"""The signed mix's pieces, minus Locust: the pre-signed pool, the senders' document sources,
the receiver's check, and database copies. No locust is imported, so they run in this process.
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from exchange.edxml.writer import build_edxml
from exchange.protocol.verification import main_file
from loadtests.bench.documents import read_delivered, read_edoc
from loadtests.bench.outgoing import Composed, Presigned
from loadtests.bench.receiver_check import ReceiverCheck
from loadtests.databases import database_copy, sqlite_path
from loadtests.roster import Roster, roster_from_json
from loadtests.signatures.presign import load_manifest, plan, sender_folder, sign_pool
from signing import Pki, pades

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
PER_SENDER = 3


def _system(system_id: str, *agencies: tuple[str, str]) -> dict[str, object]:
    listed = [{"code": code, "name": f"UBND {code}", "tier": tier} for code, tier in agencies]
    return {"systemId": system_id, "secret": f"secret-{system_id}", "agencies": listed}


ROSTER = roster_from_json(
    {
        "systems": [
            _system("tinh", ("P1", "province"), ("P2", "province")),
            _system("huyen-1", ("D1", "district"), ("C1", "commune")),
            _system("huyen-2", ("D2", "district")),
            _system("tw", ("G1", "central")),
        ]
    }
)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """An organisation and a leader certificate for each sender, as `eoffice seed` issues."""
    pki = Pki.init(tmp_path_factory.mktemp("pki") / "pki", NOW - timedelta(days=400))
    for sender in ROSTER.senders:
        code, name = sender.agency.code, sender.agency.name
        pki.issue_org(code, name, NOW - timedelta(days=10))
        pki.issue_person(code, f"Lãnh đạo {code}", "Chủ tịch", NOW - timedelta(days=10))
    pki.publish(NOW)
    return pki


@pytest.fixture(scope="module")
def pool(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("presigned")
    jobs = plan(
        ROSTER,
        pki.directory,
        root,
        per_sender=PER_SENDER,
        recipients=2,
        notation="UBND-T",
        on=NOW,
        rng=random.Random(7),
    )
    assert sign_pool(jobs, processes=1) == PER_SENDER * len(ROSTER.senders)
    return root


@pytest.fixture
def check(pki: Pki) -> ReceiverCheck:
    return ReceiverCheck.from_public(pki.directory / "public")


def test_every_sender_gets_its_own_numbered_documents(pool: Path) -> None:
    ids = []
    for sender in ROSTER.senders:
        listed = load_manifest(sender_folder(pool, sender.agency.code))
        assert [d.document_id for d in listed] == [
            f"{sender.agency.code},2026/11/21,{n}/UBND-T" for n in range(1, PER_SENDER + 1)
        ]
        ids += [d.document_id for d in listed]
    assert len(set(ids)) == len(ids)


def _system_of(roster: Roster, code: str) -> str:
    return next(s.system_id for s in roster.systems if code in {a.code for a in s.agencies})


def test_a_file_holds_the_document_its_manifest_entry_names(pool: Path) -> None:
    folder = sender_folder(pool, "P2")
    for entry in load_manifest(folder):
        message = read_edoc((folder / entry.file).read_bytes())
        assert message.document_id == entry.document_id
        assert tuple(r.organ_id for r in message.recipients) == entry.recipients
        systems = {_system_of(ROSTER, code) for code in entry.recipients}
        assert len(systems) == len(entry.recipients) == 2


def test_the_main_file_is_signed_by_the_leader_then_the_agency_for_this_document(
    pool: Path, pki: Pki
) -> None:
    folder = sender_folder(pool, "P1")
    entry = load_manifest(folder)[1]
    pdf = main_file(read_edoc((folder / entry.file).read_bytes()))
    assert pdf is not None
    result = pades.verify_pdf(pdf.data, pki.trust_store(NOW), NOW, document_id=entry.document_id)
    assert result.valid, result.reason
    assert result.person is not None and result.person.signer == "Lãnh đạo P1"
    assert result.organisation is not None and result.organisation.agency_code == "P1"
    other = pades.verify_pdf(pdf.data, pki.trust_store(NOW), NOW, document_id="P1,x,9/UBND-T")
    assert not other.valid


def test_the_receiver_registers_a_signed_document(pool: Path, check: ReceiverCheck) -> None:
    folder = sender_folder(pool, "P1")
    body = (folder / load_manifest(folder)[0].file).read_bytes()
    assert check.answer(read_delivered(body), NOW).status_code == "03"


def test_the_receiver_returns_a_document_signed_for_another_id(
    pool: Path, check: ReceiverCheck
) -> None:
    folder = sender_folder(pool, "P1")
    first, second = load_manifest(folder)[:2]
    signed_for_second = read_edoc((folder / second.file).read_bytes())
    original = read_edoc((folder / first.file).read_bytes())
    moved = replace(original, attachments=signed_for_second.attachments)
    answer = check.answer(read_delivered(build_edxml(moved)), NOW)
    assert answer.status_code == "02"
    assert "signature_mismatch" in answer.description


def test_a_presigned_source_gives_each_document_once_then_none(pool: Path) -> None:
    source = Presigned(pool, "P2")
    sent = [source.next() for _ in range(PER_SENDER)]
    assert source.next() is None
    listed = load_manifest(sender_folder(pool, "P2"))
    assert [o.document_id for o in sent if o is not None] == [d.document_id for d in listed]
    assert all(o is not None and read_edoc(o.body).document_id == o.document_id for o in sent)


def test_a_composed_source_numbers_its_documents() -> None:
    sender = ROSTER.senders[0].agency
    source = Composed(sender, ROSTER.receivers, recipients=2, notation="X", rng=random.Random(1))
    first, second = source.next(), source.next()
    assert first.document_id.endswith(",1/X") and second.document_id.endswith(",2/X")
    assert read_edoc(first.body).document_id == first.document_id
    assert len(first.recipients) == 2


def test_a_sqlite_copy_has_the_data_and_is_removed_afterwards(tmp_path: Path) -> None:
    seeded = tmp_path / "hub.db"
    with closing(sqlite3.connect(seeded)) as db, db:
        db.execute("CREATE TABLE agency (code TEXT)")
        db.execute("INSERT INTO agency VALUES ('P1')")
    with database_copy(f"sqlite:///{seeded}", server_url=None, name="run-1") as url:
        copy = sqlite_path(url)
        assert copy == tmp_path / "run-1.db"
        with closing(sqlite3.connect(copy)) as db:
            assert db.execute("SELECT code FROM agency").fetchall() == [("P1",)]
    assert not copy.exists()
    assert seeded.exists()


def test_only_sqlite_and_postgres_databases_are_copied() -> None:
    assert sqlite_path("postgresql+psycopg://h/db") is None
    with (
        pytest.raises(RuntimeError, match="cannot copy"),
        database_copy("postgresql+psycopg://h/db", server_url=None, name="x"),
    ):
        pass
