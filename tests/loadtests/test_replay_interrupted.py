"""Ctrl-C in the middle of `eoffice loadtest`: the terminal sends SIGINT to the whole process
group (the command, Locust and the hub it started); the run stops and still writes its report
so far, marked interrupted, and exits 130. No timing is asserted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

EOFFICE = [sys.executable, "-m", "exchange.cli"]
HANG_GUARD = 300  # seconds: a hang guard, not a speed check


def _accepted_so_far(folder: Path) -> int:
    """Documents the replay's part files say the hub accepted (0 before any was written)."""
    total = 0
    for part in (folder / "parts").glob("part-*.json"):
        try:
            series = json.loads(part.read_text())["series"]
        except (OSError, ValueError, KeyError):
            continue
        total += sum(series.get("documents", {}).values())
    return total


def _wait_for_documents(folder: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while _accepted_so_far(folder) < 5:
        assert process.poll() is None, "the replay ended before it could be interrupted"
        assert time.monotonic() < deadline, "no document was accepted"
        time.sleep(0.5)


def test_ctrl_c_writes_the_report_so_far(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    command = [*EOFFICE, "loadtest", "--documents", "3000", "--wall", "240"]
    with (tmp_path / "loadtest.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "--report", str(folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_documents(folder, process)
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does in a terminal
            code = process.wait(timeout=HANG_GUARD)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    output = (tmp_path / "loadtest.log").read_text()
    assert code == 130, output
    assert "interrupted: stopping Locust, writing the report so far" in output
    report = json.loads((folder / "report.json").read_text())
    assert report["interrupted"] and not report["completed"]
    summary = report["summary"]
    assert 0 < summary["documents_accepted"] < 3000
    assert (folder / "report.html").is_file()
