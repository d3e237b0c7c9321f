"""A hub killed with SIGKILL in the middle of a replay, restarted on the same port and the same
database: the senders and connectors ride out the outage (they retry, as real connectors do),
the run finishes, and `eoffice reconcile` finds every document exactly once (nothing lost,
nothing duplicated, nothing stuck) and `eoffice audit verify` finds the chain intact. On SQLite
and on PostgreSQL. No timing is asserted: the deadlines are hang guards.

Subprocesses: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from loadtests.hub_process import HubServer, free_port, hub_environment, seed
from tests.loadtests.support import EOFFICE, HANG_GUARD, eoffice, wait_for_documents

pytestmark = pytest.mark.db

DOCUMENTS, WALL = 200, 20
KILL_AFTER = 40  # documents accepted before the kill: the run is well under way
OUTAGE_SECONDS = 3.0  # the hub stays down this long (longer than a sender's first retries)
# The replay sends unsigned documents: its agencies' certificates may be the quick kind (EC
# keys: a second for the province; RSA keys take ~12 s).
EC_KEYS = {"EXCHANGE_PKI_ALGORITHM": "ec-p256"}


@dataclass(frozen=True, slots=True)
class KilledRun:
    folder: Path
    report: dict[str, Any]
    accepted_at_kill: int


def _kill(server: HubServer) -> None:
    """SIGKILL to the hub's whole process group (uvicorn and any worker): no shutdown at all."""
    os.killpg(server.pid, signal.SIGKILL)
    server.stop()  # reaps it


def _replay_killed(database_url: str, folder: Path) -> KilledRun:
    data = folder / "data"
    credentials = seed(database_url, data, "ninh-binh", extra=EC_KEYS)
    port = free_port()
    first = HubServer(database_url, data, port, 1, extra=EC_KEYS, log=folder / "hub-1.log")
    first.start(None)
    second = HubServer(database_url, data, port, 1, extra=EC_KEYS, log=folder / "hub-2.log")
    report = folder / "report"
    command = [*EOFFICE, "loadtest", "--host", first.url, "--credentials", str(credentials)]
    command += ["--documents", str(DOCUMENTS), "--wall", str(WALL), "--report", str(report)]
    with (folder / "replay.log").open("wb") as log:
        replay = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        accepted = wait_for_documents(report / "parts", replay, KILL_AFTER)
        _kill(first)
        time.sleep(OUTAGE_SECONDS)
        second.start(None)
        replay.wait(HANG_GUARD)
    finally:
        _stop(replay)
        first.stop()
        second.stop()
    output = (folder / "replay.log").read_text(errors="replace")
    assert replay.returncode == 0, output[-3000:]
    return KilledRun(report, json.loads((report / "report.json").read_text()), accepted)


def _stop(replay: subprocess.Popen[bytes]) -> None:
    """On the way out of a failed test: SIGTERM, which `eoffice loadtest` passes on to its
    Locust (in a session of its own) before it exits."""
    if replay.poll() is not None:
        return
    replay.terminate()
    try:
        replay.wait(90)
    except subprocess.TimeoutExpired:
        replay.kill()
        replay.wait()


def test_a_hub_killed_mid_run_loses_and_duplicates_nothing(
    database_url: str, tmp_path: Path
) -> None:
    run = _replay_killed(database_url, tmp_path)

    # the run really was cut: the hub died with documents still to come, and the replay's
    # requests met a hub that was not there
    assert run.accepted_at_kill > 0
    unanswered = {k: n for k, n in run.report["errors"].items() if k.endswith("|connection")}
    assert unanswered, run.report["errors"]

    # and it still finished: every planned document accepted, nothing left in flight
    summary = run.report["summary"]
    assert run.report["completed"] and not run.report["interrupted"]
    assert summary["documents_accepted"] == summary["documents_planned"] > run.accepted_at_kill
    assert summary["backlog_at_end"] == 0

    reconciled = eoffice("reconcile", "--report", str(run.folder), "--database-url", database_url)
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    lines = [line.split() for line in reconciled.stdout.splitlines()]
    for kind in ("lost", "duplicated", "stuck", "unexpected"):
        assert [kind, "0"] in lines, reconciled.stdout

    env = hub_environment(database_url, tmp_path / "data", EC_KEYS)
    audit = eoffice("audit", "verify", env=env)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "\naudit chain intact:" in audit.stdout, audit.stdout  # after "audit of <url>"
