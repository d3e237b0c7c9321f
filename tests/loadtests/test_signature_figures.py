"""From the runs under each policy to the comparison: refusal codes out of Locust's failures,
the medians, the ratios, the verdicts and the warnings. Pure."""

from __future__ import annotations

import pytest

from loadtests.bench.phases import LOCUSTFILES, Phase, PhaseResult
from loadtests.locust_stats import CallStats, Failure, RunStats, parse_failures, refusal_codes
from loadtests.signatures.report import (
    PolicyRun,
    SignatureReport,
    policy_run,
    signature_report,
)
from loadtests.signatures.table import render_signatures

FAILURES = [  # as Locust 2.47 writes PREFIX_failures.csv
    "Method,Name,Error,Occurrences,First Seen,Last Seen",
    "POST,sendEdoc edoc,\"CatchResponseError('ErrorCode signature_unknown_issuer: The hub "
    "refuses the message')\",84,2026-11-21T16:40:41Z,2026-11-21T16:40:43Z",
    "POST,sendEdoc edoc,\"CatchResponseError('HTTP 502, no VXP envelope: b\\'\\'')\",2,"
    "2026-11-21T16:40:41Z,x",
    "POST,getEdoc edoc,\"CatchResponseError('connection: no answer')\",1,2026-11-21T16:40:41Z,x",
]
SETTINGS = {
    "workers": 1,
    "hub_cores": "core 0",
    "locust_cores": "core 1",
    "seconds": 20,
    "warmup_seconds": 5,
    "pki_algorithm": "rsa2048",
    "pool_documents": 2100,
    "pool_per_sender": 100,
    "document_kib": 69.0,
    "presign_seconds": 9.0,
    "presign_processes": 2,
    "receivers": "do not verify",
}
MACHINE = {"cores": 2, "usable_cores": 2}


def test_refusals_are_counted_by_the_hubs_code() -> None:
    failures = parse_failures(FAILURES)
    assert failures[2] == Failure(
        "POST", "getEdoc edoc", "CatchResponseError('connection: no answer')", 1
    )
    assert refusal_codes(failures, "sendEdoc edoc") == {
        "signature_unknown_issuer": 84,
        "HTTP 502": 2,
    }
    assert refusal_codes(failures, "getEdoc edoc") == {"connection": 1}
    assert refusal_codes(failures, "updateStatus") == {}


def _run(
    policy: str,
    run: int,
    documents: float,
    *,
    failures: tuple[Failure, ...] = (),
    counters: dict[str, float] | None = None,
    locust_cpu: float = 0.5,
    stall: float = 0.01,
) -> PolicyRun:
    send = CallStats("sendEdoc edoc", "POST", int(documents), 0, documents / 10, 30.0, 90.0)
    total = CallStats("Aggregated", "", 40 * int(documents), 0, 4 * documents, 35.0, 120.0)
    counts = {"started": 0.0, "stopped": 10.0, "documents_sent": documents, **(counters or {})}
    phase = Phase(policy, LOCUSTFILES["mix"], 30, 10)
    result = PhaseResult(phase, RunStats(total, (send,)), counts, 0.9, locust_cpu, stall)
    return policy_run(policy, run, result, failures)


def _report(*runs: PolicyRun) -> SignatureReport:
    return signature_report(
        backend="sqlite", database="sqlite:///x", machine=MACHINE, settings=SETTINGS, runs=runs
    )


def test_a_run_keeps_the_send_latency_and_the_refusals() -> None:
    run = _run("enforce", 1, 300.0, failures=parse_failures(FAILURES))
    assert (run.send_p50_ms, run.send_p99_ms) == (30.0, 90.0)
    assert run.figures.documents_per_s == 30.0
    assert run.refused == 86


def test_the_ratio_compares_each_policys_median_run() -> None:
    report = _report(
        _run("off", 1, 300.0),
        _run("enforce", 1, 270.0),
        _run("off", 2, 250.0),
        _run("enforce", 2, 240.0),
        _run("off", 3, 320.0),
        _run("enforce", 3, 288.0),
    )
    assert (report.off.run, report.enforce.run) == (1, 1)
    assert report.docs_ratio == pytest.approx(0.9)
    assert report.rps_ratio == pytest.approx(0.9)
    assert report.pair_ratios == pytest.approx((0.9, 0.96, 0.9))
    assert report.kept == pytest.approx(0.9)
    assert [t.passed for t in report.targets] == [True, True, True]


@pytest.mark.parametrize(("enforce", "kept"), [(240.0, True), (239.0, False)])
def test_enforce_must_keep_80_percent(enforce: float, kept: bool) -> None:
    report = _report(_run("off", 1, 300.0), _run("enforce", 1, enforce))
    assert report.targets[0].passed is kept


def test_the_target_is_the_median_pair_so_load_from_elsewhere_hits_both_policies() -> None:
    """Load from elsewhere slows pair 2, then enforce 3: the medians' ratio suffers, the
    pairs' median hardly."""
    report = _report(
        _run("off", 1, 300.0),
        _run("enforce", 1, 285.0),
        _run("off", 2, 150.0),
        _run("enforce", 2, 141.0),
        _run("off", 3, 280.0),
        _run("enforce", 3, 140.0),
    )
    assert report.pair_ratios == pytest.approx((0.95, 0.94, 0.5))
    assert report.kept == pytest.approx(0.94)
    assert report.docs_ratio == pytest.approx(141.0 / 280.0)
    assert report.targets[0].passed


def test_hub_cpu_per_document_is_compared() -> None:
    report = _report(_run("off", 1, 300.0), _run("enforce", 1, 300.0))
    assert report.hub_ms_per_document == {
        "off": pytest.approx(30.0),
        "enforce": pytest.approx(30.0),
    }
    assert report.cpu_ratio == pytest.approx(1.0)


def test_a_refused_signed_document_fails_the_acceptance_target() -> None:
    refused = parse_failures(FAILURES)[:1]
    report = _report(_run("off", 1, 300.0), _run("enforce", 1, 290.0, failures=refused))
    accepted = report.targets[1]
    assert not accepted.passed and accepted.value == 84
    assert "signature_unknown_issuer x84" in accepted.detail


def test_nothing_accepted_is_no_pass() -> None:
    report = _report(_run("off", 1, 300.0), _run("enforce", 1, 0.0))
    assert not report.targets[1].passed


def test_an_exhausted_pool_returns_a_busy_locust_and_a_busy_machine_are_warned_of() -> None:
    counters = {"senders_out_of_documents": 3.0, "documents_returned": 2.0}
    report = _report(
        _run("off", 1, 300.0, locust_cpu=0.95, stall=0.3),
        _run("enforce", 1, 300.0, counters=counters),
    )
    assert len(report.warnings) == 4
    assert "raise --signed-pool" in report.warnings[1]
    assert "in 1 of 2 runs" in report.warnings[3]


def test_the_table_shows_each_run_the_medians_the_ratio_and_the_verdicts() -> None:
    text = render_signatures(_report(_run("off", 1, 300.0), _run("enforce", 1, 270.0)))
    for expected in ("off 1", "enforce 1", "median off", "median enforce", "send p99"):
        assert expected in text
    assert "ratio enforce/off of the medians: documents/s 0.90" in text
    assert "pair by pair, documents/s: 0.90; median 0.90" in text
    assert len([line for line in text.splitlines() if line.startswith("PASS")]) == 3


def test_a_report_needs_both_policies() -> None:
    with pytest.raises(ValueError, match="enforce"):
        _report(_run("off", 1, 300.0))
