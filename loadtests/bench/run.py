"""`eoffice bench`: drive a local hub over HTTP with Locust and print what it carries.

Seeds Ninh Bình into a database of its own, starts `eoffice serve` (pinned to one core, Locust
to another), then runs three headless phases of `--duration` seconds:

1. ceiling: GET /noop, closed model: the most requests/s this server and machine answer;
2. peak: the exchange mix as fast as the hub answers (requests/s, documents/s);
3. paced: the mix at 70% of the peak's documents/s, where p99 must stay under 100 ms.

The mix speaks the national protocol (`exchange.protocol.connector`): `--transport sdk` opens a
new connection for every call, the ceiling's too, as the national SDK does (default
keep-alive); `--endpoint-prefix /vxp` calls the hub under /vxp/ (default: the host root);
`--sdk-like` resends every parameter an earlier call set, as the SDK's map does.

Prints a table (with PASS/FAIL against the targets; speed never fails the command) and writes
the same as JSON to `--report`. The hub is stopped and a `--postgres` database dropped on the
way out, Ctrl-C included.

With `--signatures`, instead of those phases: the mix with signed documents against a hub
that does not check signatures (EXCHANGE_SIGNATURE_POLICY=off) and one that enforces them,
and what enforcing costs (see `loadtests.signatures.run`).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from exchange.cli_args import Parser, non_negative_int, positive_int
from loadtests.bench.phases import LOCUSTFILES, Phase, PhaseResult, drain, run_phase
from loadtests.bench.report import BenchReport, figures, render, targets, write_json
from loadtests.databases import postgres_database, sqlite_path
from loadtests.hub_process import (
    HubServer,
    backend_name,
    display_url,
    free_port,
    seed,
)
from loadtests.link import Link, add_link_arguments, link_from
from loadtests.machine import Cores, describe_machine
from loadtests.roster import load_roster
from loadtests.signatures.report import SignatureReport
from loadtests.signatures.run import POOL_RATE, SignatureOptions, run_signatures
from loadtests.signatures.table import render_signatures

__all__ = ["PACED_SHARE", "main"]

PACED_SHARE = 0.7
CPU_ACCOUNTING = {"EXCHANGE_CPU_ACCOUNTING": "true"}  # CPU per call in /metrics
DRAIN_SECONDS = 120


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="eoffice bench", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="use this database (default: a fresh SQLite file)")
    where.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="create (and drop) a database eoffice_bench_<random> on this server, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    add = parser.add_argument
    add("--users", type=positive_int, default=20, help="users for the ceiling phase")
    add("--duration", type=positive_int, default=20, help="seconds per phase")
    add("--workers", type=positive_int, default=1, help="uvicorn workers")
    add("--port", type=int, default=0, help="0: a free port")
    add("--warmup", type=non_negative_int, default=5, help="seconds before measuring")
    add("--in-flight", type=positive_int, default=3, help="open documents per sender")
    add("--repeat", type=positive_int, default=1, help="runs per phase; the median counts")
    parser.add_argument("--report", type=Path, help="default: reports/bench-<backend>.json")
    parser.add_argument("--workdir", type=Path, help="keep CSVs and logs here (default: temp)")
    parser.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    add_link_arguments(parser.add_argument_group("how the connectors reach the hub"))
    signed = parser.add_argument_group("signatures (instead of the three phases)")
    signed.add_argument(
        "--signatures",
        action="store_true",
        help="send signed documents to a hub with EXCHANGE_SIGNATURE_POLICY=off, then =enforce "
        "(--repeat pairs, alternating); report what enforcing costs",
    )
    signed.add_argument(
        "--signed-pool",
        type=int,
        metavar="N",
        help=f"documents pre-signed per sender (default: {POOL_RATE:g} per second of warm-up "
        "and duration)",
    )
    signed.add_argument(
        "--receiver-verifies",
        action="store_true",
        help="receivers verify each document's signatures before answering (Locust does more)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.signatures and args.database_url and sqlite_path(args.database_url) is None:
        parser.error("--signatures copies the seeded database: use SQLite or --postgres")
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: hub down, database gone
    try:
        with ExitStack() as stack:
            workdir = _workdir(stack, args.workdir)
            url = args.database_url or f"sqlite:///{workdir / 'hub.db'}"
            if args.postgres:
                url = stack.enter_context(postgres_database(args.postgres))
            report = _run(stack, args, workdir, url)
    except KeyboardInterrupt:
        print("eoffice bench: interrupted; the hub is stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        print(f"eoffice bench: {error}", file=sys.stderr)
        return 1
    _publish(report, args.report)
    return 0


def _run(
    stack: ExitStack, args: argparse.Namespace, workdir: Path, url: str
) -> BenchReport | SignatureReport:
    if args.signatures:
        return _signatures(args, workdir, url)
    return _bench(stack, args, workdir, url)


def _publish(report: BenchReport | SignatureReport, given: Path | None) -> None:
    """Print the table; write the JSON to `given` or reports/<kind>-<backend>.json."""
    if isinstance(report, SignatureReport):
        text, kind = render_signatures(report), "bench-signatures"
    else:
        text, kind = render(report), "bench"
    path = given or Path("reports") / f"{kind}-{report.backend}.json"
    print(text)
    write_json(report, path)
    print(f"report: {path}")


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
    credentials = seed(url, workdir / "data", certificates=False)  # the mix signs nothing
    mix_users = load_roster(credentials).mix_users
    cores = Cores.choose(not args.no_pin, args.workers)
    server = HubServer(
        url, workdir / "data", args.port or free_port(), args.workers, extra=CPU_ACCOUNTING
    )
    stack.callback(server.stop)
    server.start(cores.hub)

    link = link_from(args)
    mix = ("--credentials", str(credentials), "--in-flight", str(args.in_flight), *link.arguments())

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
    noop = ("--transport", link.transport)
    ceiling = run(Phase("ceiling", LOCUSTFILES["noop"], args.users, seconds, noop, warmup))
    peak = run(Phase("peak", LOCUSTFILES["mix"], mix_users, seconds, mix, warmup))
    costs = run(Phase("costs", LOCUSTFILES["mix"], mix_users, seconds, mix, warmup, True))
    paced_rate = max(PACED_SHARE * peak.documents_per_second, 0.1)
    rate = ("--docs-per-second", f"{paced_rate:.3f}")
    paced = run(Phase("paced", LOCUSTFILES["mix"], mix_users, seconds, (*mix, *rate), warmup))
    settings = _settings(args, cores, link, paced_rate, peak.stats.total.rps)
    return _report(url, settings, ceiling, peak, paced, costs)


def _signatures(args: argparse.Namespace, workdir: Path, url: str) -> SignatureReport:
    options = SignatureOptions(
        seconds=args.duration,
        warmup=args.warmup,
        repeat=args.repeat,
        workers=args.workers,
        port=args.port,
        in_flight=args.in_flight,
        pool=args.signed_pool,
        receiver_verifies=args.receiver_verifies,
        server_url=args.postgres,
        link=link_from(args),
    )
    return run_signatures(options, Cores.choose(not args.no_pin, args.workers), workdir, url)


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
    args: argparse.Namespace, cores: Cores, link: Link, paced_rate: float, peak_rps: float
) -> dict[str, object]:
    return {
        "transport": link.transport,
        "endpoint_prefix": link.prefix,
        "sdk_like": link.sdk_like,
        "seconds": args.duration,
        "warmup_seconds": args.warmup,
        "ceiling_users": args.users,
        "workers": args.workers,
        "in_flight_per_sender": args.in_flight,
        "repeat": args.repeat,
        **cores.describe(),
        "paced_docs_per_s": paced_rate,
        "paced_target_rps": PACED_SHARE * peak_rps,
    }


def _report(url: str, settings: dict[str, object], *results: PhaseResult) -> BenchReport:
    ceiling, peak, paced, costs = (figures(r) for r in results)
    return BenchReport(
        backend=backend_name(url),
        database=display_url(url),
        machine=describe_machine(),
        settings=settings,
        ceiling=ceiling,
        peak=peak,
        paced=paced,
        costs=costs,
        ratio=peak.rps / ceiling.rps if ceiling.rps else 0.0,
        targets=targets(ceiling, peak, paced),
    )
