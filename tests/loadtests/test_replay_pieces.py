"""The replay's pure pieces: status chains, edXML bodies, the expected ledger, the report."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from exchange.domain.messages import EdocMessage, StatusMessage
from exchange.edxml import parse_edxml
from loadtests.profiles import load_profile
from loadtests.replay.bodies import edoc_body, pool_size, status_body
from loadtests.replay.chains import RECALLED, RECEIVED, SENT, Chains
from loadtests.replay.expected import expected_ledger
from loadtests.replay.merge import merge
from loadtests.replay.params import ReplayParams, played_events, replay_events
from loadtests.replay.recorder import Recorder
from loadtests.replay.report import Thresholds, build_report, verdict
from loadtests.replay.scale import expected_documents
from loadtests.schedule import ICT, Document, EventKind

KEY = ("X,2017/03/01,1/UBND", "A")
PARAMS = ReplayParams("ninh-binh", "7", 200, 2_000_000.0, 20_000_000.0)


def test_a_chain_waits_for_its_gate_and_keeps_the_order() -> None:
    chains = Chains()
    assert not chains.add(KEY, "01", 10.0)  # not fetched yet: held
    assert not chains.add(KEY, "03", 11.0)
    assert chains.held == 2
    assert chains.open(KEY, RECEIVED, 15.0)  # the runner may start
    assert not chains.open(KEY, RECEIVED, 16.0)  # one runner only
    first, second = chains.take(KEY), chains.take(KEY)
    assert first is not None and (first.code, first.intended) == ("01", 15.0)
    assert second is not None and (second.code, second.intended) == ("03", 15.0)
    assert chains.take(KEY) is None and chains.held == 0


def test_a_recall_answer_waits_for_the_13_and_the_13_for_the_send() -> None:
    chains = Chains()
    chains.open(KEY, RECEIVED, 1.0)
    assert not chains.add(KEY, "15", 5.0)
    assert chains.open(KEY, RECALLED, 7.0)
    held = chains.take(KEY)
    assert held is not None and (held.code, held.intended) == ("15", 7.0)
    sender = ("X,2017/03/01,1/UBND", "X")
    assert not chains.add(sender, "13", 3.0)
    assert chains.open(sender, SENT, 2.0)


def test_attachments_come_from_a_small_pool() -> None:
    sizes = {pool_size(s, 32 * 1024) for s in range(1, 50_000_000, 99_991)}
    assert sizes <= {1024 * 2**i for i in range(6)}
    assert pool_size(3000, 32 * 1024) == 4096


def _document() -> Document:
    return Document(
        document_id="000.00.01.H42,2017/03/01,12/QĐ-UBND",
        sender="000.00.01.H42",
        number=12,
        notation="QĐ-UBND",
        doc_type="Quyết định",
        priority=1,
        recipients=("000.00.02.H42",),
        pair="province>province",
        broadcast=False,
        electronic=True,
        attachment_size=400_000,
        sent_at=datetime(2017, 3, 1, 9, 30, tzinfo=ICT),
    )


def test_the_bodies_carry_the_schedules_document_id() -> None:
    document = _document()
    edoc = parse_edxml(edoc_body(document, {}, 8192)).message
    assert isinstance(edoc, EdocMessage)
    assert edoc.document_id == document.document_id
    assert len(edoc.attachments[0].data) == 8192
    status = parse_edxml(status_body(document, "000.00.02.H42", "03", {}, document.sent_at))
    assert isinstance(status.message, StatusMessage)
    assert status.message.response_for.document_id == document.document_id


def test_the_expected_ledger_has_every_electronic_document_and_its_statuses() -> None:
    events = list(replay_events(PARAMS))
    ledger = list(expected_ledger(events))
    sends = [e for e in events if e.kind is EventKind.SEND and e.document]
    assert len(ledger) == sum(1 for e in sends if e.document and e.document.electronic) > 0
    codes = Counter(c for entry in ledger for cs in entry.codes.values() for c in cs)
    assert codes["01"] > 0 and codes["03"] > 0


def test_the_partitions_cover_the_schedule_once() -> None:
    whole = [(e.kind, e.wall, e.system) for e in replay_events(PARAMS)]
    parts = [(e.kind, e.wall, e.system) for i in range(3) for e in replay_events(PARAMS, i, 3)]
    assert sorted(parts) == sorted(whole)


def test_the_report_merges_processes_and_applies_thresholds() -> None:
    parts = []
    for offset in (0.0, 0.5):
        recorder = Recorder(started=100.0)
        recorder.request("sendEdoc edoc", 100.0 + offset, 100.2, 100.3 + offset, "")
        recorder.request("sendEdoc edoc", 101.0, 101.0, 101.1, "status_transition_not_allowed")
        recorder.document("2016-09-01|province>province", 9, True, 100.0)
        recorder.accepted("2016-09-01|province>province", 9, 100.3, 2)
        recorder.count("acked", 101.0, 2)
        recorder.gauges["exhausted"] = 1.0
        parts.append(recorder.to_json())
    report = build_report(merge(parts), load_profile("ninh-binh"), {"elapsed_s": 2.0})
    call = report["calls"]["sendEdoc edoc"]
    assert call["requests"] == 4 and 99 <= call["p50_ms"] <= 101 and 299 <= call["max_ms"] <= 301
    assert report["summary"]["error_rate"] == 0.5
    assert report["series"]["backlog"][-1] == 0
    assert report["electronic"][0]["profile_share"] == 0.85
    assert report["errors"] == {"sendEdoc edoc|status_transition_not_allowed": 2}
    assert verdict(report, Thresholds(max_p99_ms=10_000, max_error_rate=0.6)) == []
    assert len(verdict(report, Thresholds(max_p99_ms=100, max_error_rate=0.1))) == 2


def test_the_progress_bar_expects_a_windows_share_of_the_volume() -> None:
    profile = load_profile("ninh-binh")

    def expected(documents: int | None, start: str | None, end: str | None) -> int:
        params = ReplayParams("ninh-binh", "1", documents, 1.0, 1.0, start, end)
        return expected_documents(profile, params)

    assert expected(None, None, None) == 1_300_000
    assert expected(2000, None, None) == 2000
    autumn, rest = expected(None, None, "2016-10-14"), expected(None, "2016-10-15", None)
    assert 0 < autumn < rest and abs(autumn + rest - 1_300_000) <= 1
    quiet = expected(None, "2017-01-28", "2017-02-01")  # Tết Đinh Dậu: days off
    assert quiet == 0


def test_a_run_stopped_early_expects_only_the_events_each_partition_played() -> None:
    shares = [list(replay_events(PARAMS, k, 2)) for k in range(2)]
    workers = [
        {"partition": 0, "partitions": 2, "events": 5},
        {"partition": 1, "partitions": 2, "events": 0},
    ]
    assert list(played_events(PARAMS, workers)) == shares[0][:5]
    whole = [{"partition": k, "partitions": 2, "events": len(shares[k])} for k in range(2)]
    assert sorted(e.wall for e in played_events(PARAMS, whole)) == sorted(
        e.wall for e in replay_events(PARAMS)
    )
