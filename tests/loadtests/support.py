"""What the end-to-end load-test tests share: the `eoffice` command as a person runs it (in a
subprocess: Locust patches the process it is imported into with gevent), and watching a
running replay's part files for the documents the hub has accepted."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

EOFFICE = [sys.executable, "-m", "eoffice"]
HANG_GUARD = 400  # seconds: a hang guard, not a speed check


def eoffice(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EOFFICE, *args], capture_output=True, text=True, timeout=HANG_GUARD, check=False, env=env
    )


def accepted_so_far(parts: Path) -> int:
    """Documents a running replay has seen accepted (its part files, rewritten each second)."""
    total = 0
    for part in parts.glob("part-*.json"):
        try:
            series = json.loads(part.read_text())["series"]
        except (OSError, ValueError, KeyError):
            continue  # being replaced right now
        total += sum(series.get("documents", {}).values())
    return total


def wait_for_documents(parts: Path, replay: subprocess.Popen[bytes], at_least: int) -> int:
    """Until the replay has `at_least` documents accepted (how many then); fails if it ends
    first or never gets there."""
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline and replay.poll() is None:
        accepted = accepted_so_far(parts)
        if accepted >= at_least:
            return accepted
        time.sleep(0.2)
    pytest.fail(f"the replay never reached {at_least} accepted documents (exit {replay.poll()})")
