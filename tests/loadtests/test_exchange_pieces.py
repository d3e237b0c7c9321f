"""What the mix's users are made of, minus Locust: roster, documents, the sender's ledger.

These modules do not import locust, so they are tested in this process.
"""

from __future__ import annotations

import importlib
import random
from datetime import UTC, datetime

import pytest

from loadtests.bench.documents import ATTACHMENT_POOL, answer, new_document, read_edoc, read_status
from loadtests.bench.ledger import Ledger
from loadtests.bench.pacing import Pacer
from loadtests.roster import HostedAgency, Roster, pick_recipients, roster_from_json

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
PURE = [
    "bench.cli",
    "bench.cpu",
    "bench.documents",
    "bench.ledger",
    "bench.mix_state",
    "bench.outgoing",
    "bench.pacing",
    "bench.phases",
    "bench.receiver_check",
    "bench.run",
    "capacity.cli",
    "databases",
    "hub_process",
    "link",
    "locust_stats",
    "machine",
    "replay.cli",
    "signatures.presign",
    "signatures.run",
    "signatures.report",
    "signatures.table",
]


def _system(system_id: str, *agencies: tuple[str, str]) -> dict[str, object]:
    listed = [{"code": code, "name": f"Cơ quan {code}", "tier": tier} for code, tier in agencies]
    return {"systemId": system_id, "secret": f"secret-{system_id}", "agencies": listed}


CREDENTIALS = {
    "systems": [
        _system("tinh", ("P1", "province"), ("P2", "province")),
        _system("huyen-1", ("D1", "district"), ("C1", "commune")),
        _system("huyen-2", ("D2", "district")),
        _system("tw", ("G1", "central")),
    ]
}


@pytest.fixture
def roster() -> Roster:
    return roster_from_json(CREDENTIALS)


def _system_of(roster: Roster, agency: HostedAgency) -> str:
    return next(s.system_id for s in roster.systems if agency in s.agencies)


@pytest.mark.parametrize("name", [*PURE, "bench.report", "roster"])
def test_public_names_exist(name: str) -> None:
    module = importlib.import_module(f"loadtests.{name}")
    assert all(hasattr(module, n) for n in module.__all__)


def test_senders_are_provincial_agencies_and_receivers_the_other_systems(roster: Roster) -> None:
    senders = [(s.system.system_id, s.agency.code) for s in roster.senders]
    assert senders == [("tinh", "P1"), ("tinh", "P2")]
    assert [s.system_id for s in roster.receivers] == ["huyen-1", "huyen-2", "tw"]


def test_the_sending_system_collects_its_agencies_answers(roster: Roster) -> None:
    """One status collector per system hosting senders: the answers to all its agencies come
    to that system's list (no per-agency filter in the national protocol)."""
    assert [s.system_id for s in roster.sending_systems] == ["tinh"]
    assert roster.mix_users == 2 + 1 + 3  # senders, the collector, the receivers


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_recipients_are_in_different_systems(roster: Roster, count: int) -> None:
    rng = random.Random(count)
    for _ in range(20):
        systems = [_system_of(roster, a) for a in pick_recipients(rng, roster.receivers, count)]
        assert len(systems) == min(count, 3) == len(set(systems))


def test_a_document_reads_back_and_its_answer_points_at_it(roster: Roster) -> None:
    sender = roster.senders[0].agency
    d1, g1 = roster.receivers[0].agencies[0], roster.receivers[2].agencies[0]
    document_id, body = new_document(
        sender, [d1, g1], number=7, notation="UBND-T", on=NOW, attachment=ATTACHMENT_POOL[1]
    )
    delivered = read_edoc(body)
    assert delivered.document_id == document_id == "P1,2026/11/21,7/UBND-T"
    assert [r.organ_id for r in delivered.recipients] == ["D1", "G1"]
    assert delivered.attachments == (ATTACHMENT_POOL[1],)
    status = read_status(answer(d1, delivered, "03", on=NOW))
    assert (status.sender.organ_id, status.status_code) == ("D1", "03")
    assert (status.response_for.organ_id, status.response_for.document_id) == ("P1", document_id)


def test_reading_the_wrong_kind_is_refused(roster: Roster) -> None:
    recipient = roster.receivers[1].agencies[0]
    _, body = new_document(
        roster.senders[0].agency,
        [recipient],
        number=1,
        notation="X",
        on=NOW,
        attachment=ATTACHMENT_POOL[0],
    )
    with pytest.raises(ValueError, match="expected a status package"):
        read_status(body)
    with pytest.raises(ValueError, match="expected a document"):
        read_edoc(answer(recipient, read_edoc(body), "01", on=NOW))


def test_the_attachment_pool_is_deterministic() -> None:
    """Blobs dedupe on the hub only if every Locust process sends the same bytes."""
    pool = ATTACHMENT_POOL
    assert len({a.data for a in pool}) == len(pool)
    assert (
        pool
        == importlib.reload(importlib.import_module("loadtests.bench.documents")).ATTACHMENT_POOL
    )


def test_a_document_completes_when_every_recipient_registered_it() -> None:
    ledger = Ledger()
    ledger.open("doc", ["A", "B"], now=0.0)
    assert not ledger.record("doc", "A", "01")
    assert not ledger.record("doc", "A", "03")
    assert not ledger.record("unknown", "B", "03")
    assert ledger.outstanding == 1
    assert ledger.record("doc", "B", "03")
    assert ledger.outstanding == 0
    assert not ledger.record("doc", "B", "03")


def test_documents_open_too_long_are_given_up() -> None:
    ledger = Ledger()
    ledger.open("old", ["A"], now=1.0)
    ledger.open("new", ["A"], now=5.0)
    assert ledger.give_up(older_than=3.0) == 1
    assert ledger.outstanding == 1


def test_pacers_start_spread_over_the_first_interval() -> None:
    rng = random.Random(1)
    starts = [Pacer.starting(0.5, now=100.0, rng=rng).next_due for _ in range(200)]
    assert 100.0 <= min(starts) < 100.2 and 101.8 < max(starts) <= 102.0


def test_a_pacer_keeps_its_schedule_and_never_bursts_to_catch_up() -> None:
    pacer = Pacer(interval=1.0, next_due=10.0)
    assert not pacer.due(9.9) and pacer.wait(9.5) == 0.5
    pacer.sent(10.3)  # late: the next one is still due at 11
    assert pacer.next_due == 11.0 and pacer.due(11.0)
    pacer.sent(15.0)  # far behind: due again now, not four times in a row
    assert pacer.next_due == 15.0
    pacer.sent(15.0)
    assert pacer.next_due == 16.0
