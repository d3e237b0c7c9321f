"""One benchmark phase: a headless Locust run as a subprocess, and what it measured.

Locust runs in its own process (importing it patches the process with gevent), pinned to its
own core when the hub has the other. It warms up, then measures for the phase's seconds. Its
CSV gives the request figures, the mix's counters file the documents, and CPU samples of both
processes over the measured window say whether the hub or the load generator was the limit.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from loadtests.bench.call_costs import (
    CallCost,
    HubCalls,
    generator_costs,
    hub_delta,
    parse_hub_calls,
    read_generator,
)
from loadtests.bench.cpu import (
    CpuSampler,
    cpu_stall_seconds,
    group_cpu_seconds,
    process_cpu_seconds,
)
from loadtests.hub_process import pinned
from loadtests.locust_stats import RunStats, read_stats

__all__ = ["LOCUSTFILES", "Phase", "PhaseResult", "backlog", "drain", "run_phase"]

LOCUSTFILES = {
    "noop": Path(__file__).with_name("noop.py"),
    "mix": Path(__file__).with_name("exchange_mix.py"),
}
BACKLOG = re.compile(r"^eoffice_undelivered_backlog (\S+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Phase:
    name: str  # ceiling | peak | paced | drain
    locustfile: Path
    users: int
    seconds: int  # measured
    extra: tuple[str, ...] = ()
    warmup: int = 0  # seconds run before the statistics start afresh
    meter_calls: bool = False  # the generator's CPU per call (it costs the generator CPU)


@dataclass(frozen=True, slots=True)
class PhaseResult:
    phase: Phase
    stats: RunStats
    counters: dict[str, float]
    hub_cpu: float | None  # share of one core over the measured window
    locust_cpu: float | None
    cpu_stall: float | None = None  # share of the window some task waited for a core
    costs: dict[str, CallCost] = field(default_factory=dict)  # per call, CPU per request

    def per_second(self, counter: str) -> float:
        elapsed = self.counters.get("stopped", 0.0) - self.counters.get("started", 0.0)
        return self.counters.get(counter, 0.0) / elapsed if elapsed > 0 else 0.0

    @property
    def documents_per_second(self) -> float:
        return self.per_second("documents_sent")


def _command(phase: Phase, host: str, workdir: Path) -> list[str]:
    command = [sys.executable, "-m", "locust", "-f", str(phase.locustfile), "--headless"]
    command += ["-u", str(phase.users), "-r", str(phase.users)]
    command += ["-t", f"{phase.seconds + phase.warmup}s", "--warmup", str(phase.warmup)]
    command += ["--csv", str(workdir / phase.name), "--host", host, "--only-summary"]
    command += ["--stop-timeout", "0", "--window-file", str(workdir / "window.json")]
    if phase.meter_calls:
        command += ["--call-cpu", str(workdir / "call-cpu.json")]
    if phase.locustfile == LOCUSTFILES["mix"]:
        command += ["--mix-stats", str(workdir / "documents.json")]
    return [*command, *phase.extra]


def _wait(locust: subprocess.Popen[bytes]) -> None:
    """Wait for Locust; if the wait is interrupted (Ctrl-C), stop it rather than orphan it."""
    try:
        locust.wait()
    except BaseException:
        locust.terminate()
        locust.wait()
        raise


def _read_json(path: Path) -> dict[str, float]:
    return json.loads(path.read_text()) if path.exists() else {}


def run_phase(
    phase: Phase, *, host: str, workdir: Path, core: int | None, server: int
) -> PhaseResult:
    """Run Locust for the phase against `host`; `server` is the hub's process group."""
    log = workdir / f"{phase.name}-locust.log"
    command = pinned(_command(phase, host, workdir), core)
    hub_before = _hub_calls(host)
    with log.open("wb") as output:
        locust = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        counters = {
            "hub": lambda: group_cpu_seconds(server),
            "locust": lambda: process_cpu_seconds(locust.pid),
            "stall": cpu_stall_seconds,
        }
        with CpuSampler(counters) as cpu:
            _wait(locust)
    hub_spent = hub_delta(hub_before, _hub_calls(host))
    try:
        stats = read_stats(workdir / phase.name)
        window = _read_json(workdir / "window.json")
        start, end = window["started"], window["stopped"]
    except (OSError, ValueError, KeyError) as error:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(
            f"Locust phase {phase.name!r} gave no stats ({error}):\n{tail}"
        ) from None
    return PhaseResult(
        phase=phase,
        stats=stats,
        counters=_read_json(workdir / "documents.json"),
        hub_cpu=cpu.share("hub", start, end),
        locust_cpu=cpu.share("locust", start, end),
        cpu_stall=cpu.share("stall", start, end),
        costs=generator_costs(
            hub_spent,
            read_generator(workdir / "call-cpu.json"),
            [call.name for call in stats.calls],
        ),
    )


def _hub_calls(host: str) -> HubCalls:
    """The hub's CPU per call so far (empty if it does not account for it)."""
    try:
        with urllib.request.urlopen(f"{host}/metrics", timeout=10) as response:
            return parse_hub_calls(response.read().decode())
    except (OSError, ValueError):
        return {}


def backlog(host: str) -> float | None:
    """Deliveries not yet acknowledged, from the hub's /metrics (None if it does not say)."""
    with urllib.request.urlopen(f"{host}/metrics", timeout=10) as response:
        found = BACKLOG.search(response.read().decode())
    return float(found[1]) if found else None


def drain(phase: Phase, *, host: str, workdir: Path, core: int | None) -> float | None:
    """Run the mix's receivers (`--drain`: no sending) until the hub's backlog is empty or the
    phase's seconds are up; returns the backlog left (0 when drained)."""
    deadline = time.monotonic() + phase.seconds
    left = backlog(host)
    if not left:
        return left
    command = pinned(_command(phase, host, workdir), core)
    with (workdir / f"{phase.name}-locust.log").open("wb") as output:
        locust = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            while left and time.monotonic() < deadline and locust.poll() is None:
                time.sleep(0.5)
                left = backlog(host)
        finally:
            locust.send_signal(signal.SIGTERM)
            _wait(locust)
    return left
