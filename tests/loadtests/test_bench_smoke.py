"""`eoffice bench` end to end on SQLite with tiny phases: it runs, prints, reports, and the
exchange mix carries documents without a single refused request. No timing is asserted.

A subprocess: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EOFFICE = [sys.executable, "-m", "exchange.cli"]
CALLS = {
    "sendEdoc edoc",
    "sendEdoc status",
    "getReceivedEdocList edoc",
    "getReceivedEdocList status",
    "getEdoc edoc",
    "getEdoc status",
    "updateStatus",
}


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("bench")
    report = folder / "report.json"
    options = ["--duration", "3", "--warmup", "1", "--users", "4", "--report", str(report)]
    done = subprocess.run(
        [*EOFFICE, "bench", *options, "--workdir", str(folder / "work")],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a speed check
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, json.loads(report.read_text())


def test_it_prints_the_table_and_a_verdict_per_target(bench: tuple[str, dict[str, Any]]) -> None:
    out, _ = bench
    for line in ("ceiling: GET /noop", "peak: exchange mix", "mix at 70%", "ratio mix/ceiling"):
        assert line in out
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == 2
    assert "cores" in out


def test_the_report_has_the_figures(bench: tuple[str, dict[str, Any]]) -> None:
    _, report = bench
    assert report["backend"] == "sqlite"
    assert report["machine"]["cores"] >= 1
    for phase in ("ceiling", "peak", "paced"):
        figures = report[phase]
        assert figures["rps"] > 0 and figures["requests"] > 0
        assert {"p50_ms", "p99_ms", "calls", "hub_cpu", "locust_cpu"} <= set(figures)
    assert report["ratio"] == pytest.approx(report["peak"]["rps"] / report["ceiling"]["rps"])
    assert [t["passed"] in (True, False) for t in report["targets"]] == [True, True]


def test_the_mix_carries_documents_without_failures(bench: tuple[str, dict[str, Any]]) -> None:
    _, report = bench
    for phase in ("peak", "paced"):
        figures = report[phase]
        assert figures["documents_per_s"] > 0
        assert figures["failures"] == 0, figures["calls"]
        assert {c["name"] for c in figures["calls"]} == CALLS
    assert report["ceiling"]["failures"] == 0


def test_the_locust_modules_list_what_they_define() -> None:
    """__all__ checked in a subprocess: importing them patches the process with gevent."""
    names = ["signed", "window", "noop", "exchange_mix"]
    check = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    module = importlib.import_module('loadtests.' + name)\n"
        "    missing = [n for n in module.__all__ if not hasattr(module, n)]\n"
        "    assert not missing, (name, missing)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
