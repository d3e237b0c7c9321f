"""`eoffice bench` end to end on SQLite with tiny phases: it runs, prints, reports, and the
exchange mix carries documents without a single refused request.

No timing is asserted, and no figure that depends on how fast this machine is: `--warmup 0`,
so what the report counts covers each phase's whole run (a warm-up would restart the counts a
second in, leaving a window short enough to carry nothing on a busy machine); the assertions
are on structure, on failures, and on counts that must agree with each other at any speed.

A subprocess: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from loadtests.bench.run import PACED_SHARE

EOFFICE = [sys.executable, "-m", "eoffice"]
SECONDS, USERS = 4, 4
CALLS = {
    "sendEdoc edoc",
    "sendEdoc status",
    "getReceivedEdocList edoc",
    "getReceivedEdocList status",
    "getEdoc edoc",
    "getEdoc status",
    "updateStatus",
}
FIRST_CALLS = {"sendEdoc edoc", "getReceivedEdocList edoc"}  # a sender's, a connector's
PHASES = ("ceiling", "peak", "paced")


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("bench")
    report = folder / "report.json"
    options = ["--duration", str(SECONDS), "--warmup", "0", "--users", str(USERS)]
    options += ["--report", str(report), "--workdir", str(folder / "work")]
    done = subprocess.run(
        [*EOFFICE, "bench", *options],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a speed check
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads(report.read_text())


def _calls(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {call["name"]: call for call in figures["calls"]}


def _successes(figures: dict[str, Any], name: str) -> int:
    call = _calls(figures).get(name)
    return 0 if call is None else call["requests"] - call["failures"]


def test_it_prints_the_table_and_a_verdict_per_target(bench: tuple[str, dict[str, Any]]) -> None:
    out, report = bench
    for line in ("ceiling: GET /noop", "peak: exchange mix", "mix at 70%", "ratio mix/ceiling"):
        assert line in out
    assert f"{report['machine']['cores']} cores" in out
    assert f"{SECONDS} s per phase" in out
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == len(report["targets"]) == 2
    for line, target in zip(verdicts, report["targets"], strict=True):
        verdict = "PASS" if target["passed"] else "FAIL"
        assert line.startswith(f"{verdict}  {target['name']}: "), (line, target)


def test_the_report_has_the_figures(bench: tuple[str, dict[str, Any]]) -> None:
    _, report = bench
    assert report["backend"] == "sqlite"
    assert report["machine"]["cores"] >= 1
    settings = report["settings"]
    assert (settings["seconds"], settings["warmup_seconds"]) == (SECONDS, 0)
    assert settings["ceiling_users"] == USERS
    assert [report[phase]["name"] for phase in PHASES] == list(PHASES)
    assert report["ceiling"]["users"] == USERS
    assert report["peak"]["users"] == report["paced"]["users"] > 0
    for phase in PHASES:
        figures = report[phase]
        assert {"p50_ms", "p99_ms", "calls", "hub_cpu", "locust_cpu"} <= set(figures)
        assert figures["requests"] > 0 and figures["rps"] > 0  # over the whole run
        calls = figures["calls"]
        assert sum(c["requests"] for c in calls) == figures["requests"], calls
        assert sum(c["failures"] for c in calls) == figures["failures"], calls
    assert report["ratio"] == pytest.approx(report["peak"]["rps"] / report["ceiling"]["rps"])
    assert [t["passed"] in (True, False) for t in report["targets"]] == [True, True]


def test_the_ceiling_only_calls_noop(bench: tuple[str, dict[str, Any]]) -> None:
    _, report = bench
    ceiling = report["ceiling"]
    assert [c["name"] for c in ceiling["calls"]] == ["noop"]
    assert ceiling["failures"] == 0
    assert ceiling["counters"] == {} and ceiling["requests_per_document"] is None


def test_the_mix_carries_documents_without_failures(bench: tuple[str, dict[str, Any]]) -> None:
    _, report = bench
    for phase in ("peak", "paced"):
        figures = report[phase]
        counters = figures["counters"]
        assert figures["failures"] == 0, figures["calls"]
        names = set(_calls(figures))
        assert FIRST_CALLS <= names <= CALLS, names
        # the calls the stats name agree with the documents the counters say they carried
        # (the stats are Locust's last snapshot, a moment before the counters are final)
        assert counters["documents_repeated"] == 0  # every document new to the hub
        assert _successes(figures, "sendEdoc edoc") <= counters["documents_sent"]
        assert _successes(figures, "sendEdoc status") <= counters["statuses_sent"]
        assert counters["documents_completed"] <= counters["documents_sent"]
        elapsed = counters["stopped"] - counters["started"]
        assert elapsed > 0
        sent = counters["documents_sent"]
        assert figures["documents_per_s"] == pytest.approx(sent / elapsed)
        assert figures["documents_completed_per_s"] == pytest.approx(
            counters["documents_completed"] / elapsed
        )
        if sent:
            assert figures["requests_per_document"] == pytest.approx(figures["requests"] / sent)
        else:
            assert figures["requests_per_document"] is None
    # the peak runs as fast as the hub answers: every sender sends straight away
    peak = report["peak"]["counters"]
    assert peak["documents_sent"] > 0
    # on a hub that carried nothing before, every status collected was sent in this phase
    assert peak["statuses_collected"] <= peak["statuses_sent"]
    paced_rate = max(PACED_SHARE * report["peak"]["documents_per_s"], 0.1)  # bench.py's floor
    assert report["settings"]["paced_docs_per_s"] == pytest.approx(paced_rate)
    assert f"mix at 70% ({paced_rate:.1f} docs/s)" in bench[0]


def test_the_locust_modules_list_what_they_define() -> None:
    """__all__ checked in a subprocess: importing them patches the process with gevent."""
    names = ["signed", "window", "noop", "exchange_mix"]
    check = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    module = importlib.import_module('loadtests.bench.' + name)\n"
        "    missing = [n for n in module.__all__ if not hasattr(module, n)]\n"
        "    assert not missing, (name, missing)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_every_call_has_its_cpu_per_request_on_both_sides(
    bench: tuple[str, dict[str, Any]],
) -> None:
    out, report = bench
    figures = report["costs"]  # the mix once more, each call metered on both sides
    assert figures["name"] == "costs" and figures["users"] == report["peak"]["users"]
    named = {c["name"] for c in figures["calls"]}
    assert set(figures["costs"]) == named and named >= FIRST_CALLS, (figures["costs"], named)
    for name, cost in figures["costs"].items():
        assert cost["generator_us"] > 0, (name, cost)
        assert cost["hub_us"] is None or cost["hub_us"] > 0, (name, cost)  # hub: 1 in 8
    assert report["ceiling"]["costs"]["noop"]["generator_us"] is None  # its Locust unmetered
    assert "shared (no call owns it)" in out
    for line in out.splitlines():
        if line.startswith("POST "):
            hub_us, generator_us = line.split("|")[-1].split()
            assert hub_us != "-" and generator_us != "-", line
