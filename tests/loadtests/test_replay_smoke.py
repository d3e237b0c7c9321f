"""`eoffice loadtest` end to end on SQLite: a few hundred documents compressed into ~20 s;
the reports are written with their figures, documents were sent, and `eoffice reconcile`
finds every one exactly once. A `--host` nobody answers fails fast. No timing is asserted.

Subprocesses: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from loadtests.hub_process import free_port
from tests.loadtests.support import eoffice


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("replay")
    done = eoffice(
        "loadtest",
        *("--documents", "250", "--wall", "20", "--processes", "2", "--drain", "120"),
        *("--report", str(folder), "--max-error-rate", "0"),
        *("--prometheus-port", str(free_port())),  # serves while it runs (see the export test)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, json.loads((folder / "report.json").read_text())


def test_the_run_writes_locusts_and_our_reports(replay: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = replay
    for name in ("locust_stats.csv", "locust.html", "report.html", "parts/part-0.json"):
        assert (folder / name).is_file(), name
    html = (folder / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 5 and "Electronic share" in html
    assert '<div class="verdict pass" id="verdict">' in html


def test_the_report_has_its_figures(replay: tuple[Path, dict[str, Any]]) -> None:
    _, report = replay
    summary = report["summary"]
    assert summary["documents_accepted"] == summary["documents_planned"] > 0
    assert summary["errors"] == 0 and summary["backlog_at_end"] == 0
    assert report["completed"] and not report["interrupted"]
    assert report["params"]["profile"] == "ninh-binh" and report["params"]["documents"] == 250
    for call in ("sendEdoc edoc", "sendEdoc status", "getEdoc edoc", "updateStatus edoc"):
        figures = report["calls"][call]
        assert figures["requests"] > 0 and figures["p99_ms"] >= figures["p50_ms"] > 0
    assert sum(report["hours"]["planned"]) == sum(report["hours"]["achieved"])
    assert {"requests", "documents", "planned", "backlog"} <= report["series"].keys()
    assert all(0 < row["profile_share"] <= 1 for row in report["electronic"])


def test_reconcile_finds_every_document_exactly_once(replay: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = replay
    done = eoffice("reconcile", "--report", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    for kind in ("lost", "duplicated", "stuck", "unexpected"):
        assert any(line.split() == [kind, "0"] for line in done.stdout.splitlines()), kind


def test_a_host_that_does_not_answer_fails_fast_and_clearly(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.json"
    credentials.write_text('{"systems": []}')
    done = eoffice("loadtest", "--host", "http://127.0.0.1:9", "--credentials", str(credentials))
    assert done.returncode == 2
    assert "no hub answers at http://127.0.0.1:9" in done.stderr


def test_reconcile_of_a_folder_without_a_report_says_so(tmp_path: Path) -> None:
    done = eoffice("reconcile", "--report", str(tmp_path))
    assert done.returncode == 2
    assert f"no report at {tmp_path / 'report.json'}" in done.stderr
    assert "Traceback" not in done.stderr


def test_audit_verify_follows_the_run(replay: tuple[Path, dict[str, Any]]) -> None:
    """The chain of the hub the run started (its database, its anchors), not the default's."""
    folder, report = replay
    done = eoffice("audit", "verify", "--report", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"audit of sqlite:///{(folder / 'hub.db').resolve()}" in done.stdout
    found = re.search(r"audit chain intact: (\d+) records", done.stdout)
    assert found, done.stdout
    assert int(found[1]) > report["summary"]["documents_accepted"]
