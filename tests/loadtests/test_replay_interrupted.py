"""Ctrl-C in the middle of `eoffice loadtest`: the terminal sends SIGINT to the whole process
group (the command, Locust and the hub it started); the run stops and still writes its report
so far, marked interrupted, and exits 130; `reconcile` expects only what the run played
(documents never sent are not lost). No timing is asserted.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

from tests.loadtests.support import EOFFICE, HANG_GUARD, eoffice, wait_for_documents


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
            wait_for_documents(folder / "parts", process, 5)
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
    done = eoffice("reconcile", "--report", str(folder))
    assert "the run stopped early (interrupted)" in done.stdout, done.stdout + done.stderr
    kinds = ("lost", "duplicated", "stuck", "unexpected")
    pairs = [line.split() for line in done.stdout.splitlines() if line.startswith(kinds)]
    counts = {kind: int(count.replace(",", "")) for kind, count in pairs}
    assert counts["duplicated"] == counts["unexpected"] == 0, done.stdout
    found = re.search(r"scheduled electronic documents ([\d,]*\d)", done.stdout)
    assert found, done.stdout
    scheduled = int(found[1].replace(",", ""))
    unanswered = scheduled - summary["documents_accepted"]  # in flight as the run stopped
    assert summary["documents_accepted"] <= scheduled < 3000  # never-sent ones not expected
    assert counts["lost"] <= unanswered, done.stdout
