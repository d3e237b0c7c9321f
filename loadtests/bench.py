"""`eoffice bench`: drive a local hub over HTTP with Locust and print what it carries.

Seeds Ninh Bình into a database of its own, starts `eoffice serve` (pinned to one core, Locust
to another), then runs three headless phases of `--duration` seconds:

1. ceiling: GET /noop, closed model: the most requests/s this server and machine answer;
2. peak: the exchange mix as fast as the hub answers (requests/s, documents/s);
3. paced: the mix at 70% of the peak's documents/s, where p99 must stay under 100 ms.

Prints a table (with PASS/FAIL against the targets; speed never fails the command) and writes
the same as JSON to `--report`. The hub is stopped and a `--postgres` database dropped on the
way out, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from loadtests.hub_process import (
    HubServer,
    backend_name,
    display_url,
    free_port,
    postgres_database,
    seed,
)
from loadtests.phases import LOCUSTFILES, Phase, PhaseResult, drain, run_phase
from loadtests.report import BenchReport, figures, render, targets, write_json
from loadtests.roster import load_roster

__all__ = ["PACED_SHARE", "main"]

PACED_SHARE = 0.7
DRAIN_SECONDS = 120


@dataclass(frozen=True, slots=True)
class Cores:
    hub: int | None
    locust: int | None

    @staticmethod
    def choose(pin: bool, workers: int) -> Cores:
        usable = sorted(os.sched_getaffinity(0))
        if not pin or len(usable) < 2 or shutil.which("taskset") is None:
            return Cores(None, None)
        return Cores(usable[0] if workers == 1 else None, usable[1])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eoffice bench", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="use this database (default: a fresh SQLite file)")
    where.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="create (and drop) a database eoffice_bench_<random> on this server, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--users", type=int, default=20, help="users for the ceiling phase")
    parser.add_argument("--duration", type=int, default=20, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--warmup", type=int, default=5, help="seconds before measuring")
    parser.add_argument("--in-flight", type=int, default=3, help="open documents per sender")
    parser.add_argument("--repeat", type=int, default=1, help="runs per phase; the median counts")
    parser.add_argument("--report", type=Path, help="default: reports/bench-<backend>.json")
    parser.add_argument("--workdir", type=Path, help="keep CSVs and logs here (default: temp)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: hub down, database gone
    try:
        with ExitStack() as stack:
            workdir = _workdir(stack, args.workdir)
            url = args.database_url or f"sqlite:///{workdir / 'hub.db'}"
            if args.postgres:
                url = stack.enter_context(postgres_database(args.postgres))
            report = _bench(stack, args, workdir, url)
    except KeyboardInterrupt:
        print("eoffice bench: interrupted; the hub is stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"eoffice bench: {error}", file=sys.stderr)
        return 1
    path = args.report or Path("reports") / f"bench-{report.backend}.json"
    print(render(report))
    write_json(report, path)
    print(f"report: {path}")
    return 0


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _workdir(stack: ExitStack, given: Path | None) -> Path:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        return given.resolve()
    path = Path(tempfile.mkdtemp(prefix="eoffice-bench-"))
    stack.callback(shutil.rmtree, path, ignore_errors=True)
    return path


def _bench(stack: ExitStack, args: argparse.Namespace, workdir: Path, url: str) -> BenchReport:
    _say(f"seeding ninh-binh into {display_url(url)}")
    credentials = seed(url, workdir / "data")
    roster = load_roster(credentials)
    mix_users = len(roster.senders) + len(roster.receivers)
    cores = Cores.choose(not args.no_pin, args.workers)
    server = HubServer(url, workdir / "data", args.port or free_port(), args.workers)
    stack.callback(server.stop)
    server.start(cores.hub)

    mix = ("--credentials", str(credentials), "--in-flight", str(args.in_flight))

    def once(phase: Phase, index: int) -> PhaseResult:
        if phase.locustfile == LOCUSTFILES["mix"]:
            _drain(server.url, workdir, cores, mix_users, mix)
        where = _sub(workdir, phase, index)
        return run_phase(
            phase, host=server.url, workdir=where, core=cores.locust, server=server.pid
        )

    def run(phase: Phase) -> PhaseResult:
        _say(f"phase {phase.name}: {phase.users} users, {phase.seconds} s")
        runs = [once(phase, i) for i in range(max(1, args.repeat))]
        return sorted(runs, key=lambda r: r.stats.total.rps)[len(runs) // 2]

    seconds, warmup = args.duration, args.warmup
    ceiling = run(Phase("ceiling", LOCUSTFILES["noop"], args.users, seconds, (), warmup))
    peak = run(Phase("peak", LOCUSTFILES["mix"], mix_users, seconds, mix, warmup))
    paced_rate = max(PACED_SHARE * peak.documents_per_second, 0.1)
    rate = ("--docs-per-second", f"{paced_rate:.3f}")
    paced = run(Phase("paced", LOCUSTFILES["mix"], mix_users, seconds, (*mix, *rate), warmup))
    settings = _settings(args, cores, paced_rate, peak.stats.total.rps)
    return _report(url, settings, ceiling, peak, paced)


def _drain(host: str, workdir: Path, cores: Cores, users: int, mix: tuple[str, ...]) -> None:
    """Let the connectors collect what the peak left in flight, so the paced run starts clean."""
    phase = Phase("drain", LOCUSTFILES["mix"], users, DRAIN_SECONDS, (*mix, "--drain"))
    where = workdir / "drain"
    where.mkdir(exist_ok=True)
    left = drain(phase, host=host, workdir=where, core=cores.locust)
    if left:
        _say(f"the backlog did not drain in {DRAIN_SECONDS} s: {left:.0f} deliveries left")


def _sub(workdir: Path, phase: Phase, index: int) -> Path:
    path = workdir / f"{phase.name}-{index + 1}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _say(text: str) -> None:
    print(f"eoffice bench: {text}", flush=True)


def _settings(
    args: argparse.Namespace, cores: Cores, paced_rate: float, peak_rps: float
) -> dict[str, object]:
    def where(core: int | None) -> str:
        return "any core" if core is None else f"core {core}"

    return {
        "seconds": args.duration,
        "warmup_seconds": args.warmup,
        "ceiling_users": args.users,
        "workers": args.workers,
        "in_flight_per_sender": args.in_flight,
        "repeat": args.repeat,
        "hub_cores": where(cores.hub),
        "locust_cores": where(cores.locust),
        "paced_docs_per_s": paced_rate,
        "paced_target_rps": PACED_SHARE * peak_rps,
    }


def _machine() -> dict[str, object]:
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _cpu_model() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    names = [line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line]
    return names[0] if names else platform.processor()


def _report(url: str, settings: dict[str, object], *results: PhaseResult) -> BenchReport:
    ceiling, peak, paced = (figures(r) for r in results)
    return BenchReport(
        backend=backend_name(url),
        database=display_url(url),
        machine=_machine(),
        settings=settings,
        ceiling=ceiling,
        peak=peak,
        paced=paced,
        ratio=peak.rps / ceiling.rps if ceiling.rps else 0.0,
        targets=targets(ceiling, peak, paced),
    )
