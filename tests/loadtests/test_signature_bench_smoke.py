"""`eoffice bench --signatures` end to end on SQLite with tiny runs: both policies run on the
same signed documents, the hub accepts every one of them under `enforce`, receivers that verify
register them all, and no request fails.

No timing is asserted, and no figure that depends on how fast this machine is: `--warmup 0`,
so what the report counts covers each run's whole length (a warm-up would restart the counts a
second in, leaving a window short enough to carry nothing on a busy machine); the assertions
are on structure, on failures and refusals, and on counts that must agree with each other at
any speed.

A subprocess: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

EOFFICE = [sys.executable, "-m", "eoffice"]
SECONDS = 4
OUT_OF_DOCUMENTS = "senders ran out of pre-signed documents"


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("signatures")
    report = folder / "report.json"
    options = ["--signatures", "--receiver-verifies", "--duration", str(SECONDS), "--warmup", "0"]
    options += ["--report", str(report), "--workdir", str(folder / "work")]
    done = subprocess.run(
        [*EOFFICE, "bench", *options],
        capture_output=True,
        text=True,
        timeout=400,  # a hang guard, not a speed check
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads(report.read_text())


def _successes(figures: dict[str, Any], name: str) -> int:
    call = next((c for c in figures["calls"] if c["name"] == name), None)
    return 0 if call is None else call["requests"] - call["failures"]


def test_both_policies_ran_on_their_own_copy_of_the_seed(bench: tuple[str, Any]) -> None:
    out, report = bench
    assert [(r["policy"], r["run"]) for r in report["runs"]] == [("off", 1), ("enforce", 1)]
    settings = report["settings"]
    assert settings["order"] == ["off 1", "enforce 1"]
    assert settings["database_per_run"] == "a fresh copy of the seeded database"
    assert (settings["seconds"], settings["warmup_seconds"]) == (SECONDS, 0)
    assert settings["pki_algorithm"] == "rsa2048"
    assert settings["receivers"] == "verify before answering"
    pool, per_sender = settings["pool_documents"], settings["pool_per_sender"]
    assert pool > 0 and pool % per_sender == 0  # the same number for every sender
    for line in ("off 1", "enforce 1", "median enforce", "ratio enforce/off", "send p99"):
        assert line in out


def test_every_signed_document_is_accepted_and_registered(bench: tuple[str, Any]) -> None:
    _, report = bench
    settings = report["settings"]
    senders = settings["pool_documents"] // settings["pool_per_sender"]
    for run in report["runs"]:
        figures = run["figures"]
        counters = figures["counters"]
        label = f"{run['policy']} {run['run']}"
        assert run["refusals"] == {}, label
        assert figures["failures"] == 0, figures["calls"]
        assert figures["requests"] > 0 and figures["users"] > senders, label
        # over the whole run: the senders send straight away, each document new to the hub
        sent = counters["documents_sent"]
        assert sent > 0 and counters["documents_repeated"] == 0, counters
        assert sent <= settings["pool_documents"]  # each pre-signed document sent once
        assert 0 <= counters["senders_out_of_documents"] <= senders, counters
        # what the receivers took in was sent, and every document they checked verified
        assert 0 < counters["documents_verified"] <= settings["recipients"] * sent, counters
        assert counters["documents_returned"] == 0, counters
        # a fresh database per run: every status collected was sent in this run
        assert counters["statuses_collected"] <= counters["statuses_sent"], counters
        assert counters["documents_completed"] <= sent, counters
        # Locust's last snapshot of the calls (a moment before the end) within the counters
        assert _successes(figures, "sendEdoc edoc") <= sent
        assert _successes(figures, "sendEdoc status") <= counters["statuses_sent"]
        assert run["send_p50_ms"] is not None and run["send_p99_ms"] is not None


def test_the_verdicts_are_reported(bench: tuple[str, Any]) -> None:
    out, report = bench
    kept, accepted, no_failures = report["targets"]
    assert accepted["passed"] and no_failures["passed"]
    assert accepted["value"] == 0 and no_failures["value"] == 0
    enforced = report["runs"][1]["figures"]["counters"]["documents_sent"]
    assert accepted["detail"] == f"{enforced:,} accepted; refused: none"
    assert kept["value"] == pytest.approx(report["kept"])
    assert kept["passed"] is (report["kept"] >= kept["limit"])  # whichever it is
    off, enforce = (report[p]["figures"]["documents_per_s"] for p in ("off", "enforce"))
    assert report["docs_ratio"] == pytest.approx(enforce / off)
    assert report["pair_ratios"] == [pytest.approx(report["docs_ratio"])]  # one pair
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == len(report["targets"]) == 3
    for line, target in zip(verdicts, report["targets"], strict=True):
        verdict = "PASS" if target["passed"] else "FAIL"
        assert line.startswith(f"{verdict}  {target['name']}: "), (line, target)


def test_the_warnings_are_printed_and_say_when_a_pool_ran_out(bench: tuple[str, Any]) -> None:
    out, report = bench
    printed = [line for line in out.splitlines() if line.startswith("WARNING  ")]
    assert printed == [f"WARNING  {w}" for w in report["warnings"]]
    for run in report["runs"]:
        ran_out = run["figures"]["counters"]["senders_out_of_documents"] > 0
        label = f"{run['policy']} {run['run']}: {OUT_OF_DOCUMENTS}"
        assert any(w.startswith(label) for w in report["warnings"]) is ran_out
