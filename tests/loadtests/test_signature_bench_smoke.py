"""`eoffice bench --signatures` end to end on SQLite with tiny runs: both policies run on the
same signed documents, the hub accepts every one of them under `enforce`, receivers that verify
register them all, and no request fails. No timing is asserted.

A subprocess: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

EOFFICE = [sys.executable, "-m", "exchange.cli"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("signatures")
    report = folder / "report.json"
    options = ["--signatures", "--receiver-verifies", "--duration", "3", "--warmup", "1"]
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


def test_both_policies_ran_on_their_own_copy_of_the_seed(bench: tuple[str, Any]) -> None:
    out, report = bench
    assert [(r["policy"], r["run"]) for r in report["runs"]] == [("off", 1), ("enforce", 1)]
    assert report["settings"]["pki_algorithm"] == "rsa2048"
    assert report["settings"]["receivers"] == "verify before answering"
    for line in ("off 1", "enforce 1", "median enforce", "ratio enforce/off", "send p99"):
        assert line in out


def test_every_signed_document_is_accepted_and_registered(bench: tuple[str, Any]) -> None:
    _, report = bench
    for run in report["runs"]:
        counters = run["figures"]["counters"]
        assert counters["documents_sent"] > 0
        assert counters["senders_out_of_documents"] == 0
        assert counters["documents_verified"] > 0 and counters["documents_returned"] == 0
        assert run["refusals"] == {}
        assert run["figures"]["failures"] == 0, run["figures"]["calls"]
        assert run["send_p50_ms"] is not None and run["send_p99_ms"] is not None


def test_the_verdicts_are_reported(bench: tuple[str, Any]) -> None:
    out, report = bench
    accepted, no_failures = report["targets"][1], report["targets"][2]
    assert accepted["passed"] and no_failures["passed"]
    assert report["docs_ratio"] == pytest.approx(
        report["enforce"]["figures"]["documents_per_s"]
        / report["off"]["figures"]["documents_per_s"]
    )
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == 3
