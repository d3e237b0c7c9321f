"""`eoffice loadtest`: replay a traffic profile's schedule against a hub, open model.

Starts a hub of its own (seeded on SQLite in the report folder) or uses `--host`, runs Locust
headless (`--processes` of them here, or a `--master` and `--worker`s on several machines; the
schedule partitioned by system), shows a progress bar, and writes to `--report DIR`: Locust's
CSV and HTML, and our report (report.json, report.html): documents/s and requests/s over time,
latency percentiles per call from the intended time, planned vs achieved arrivals, electronic
share per tier pair, backlog, errors by code.
`--max-p99-ms` and `--max-error-rate` set the exit code (1 when broken). Ctrl-C stops the
run and still writes the report so far. Then `eoffice reconcile --report DIR`.

The connectors speak the national protocol only (`exchange.protocol.connector`), so `--host`
may be any VXP-compatible hub: `--endpoint-prefix` is the connectors' endpoint path ("" for
the host root, as the national hub; our hub serves /vxp/ too), `--transport sdk` opens a new
connection per call as the national SDK does (default: keep-alive).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

from exchange.cli_args import (
    Parser,
    iso_date,
    non_negative_float,
    port,
    positive_float,
    positive_int,
)
from loadtests.hub_process import HubServer, free_port
from loadtests.link import add_link_arguments, link_from
from loadtests.machine import Cores
from loadtests.profiles import load_profile
from loadtests.replay import distributed, page
from loadtests.replay.history import add_history_argument, history_problem, preload
from loadtests.replay.hub import check_host, seed_profile
from loadtests.replay.merge import Merged
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.replay.progress import LocustProcess
from loadtests.replay.report import Thresholds, build_report, verdict, write_report
from loadtests.replay.scale import compression_for, expected_documents, wall_seconds
from loadtests.roster import load_roster
from loadtests.schedule import Compression

__all__ = ["main"]

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# The defaults: a run that ends clean on a 2-core machine in about 4 minutes (README).
DEFAULT_DOCUMENTS = 500
SCALED_WALL = 240.0
FULL_WALL = 600.0
ALL = "all"


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="eoffice loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="ninh-binh", help="fixtures/profiles name or path")
    parser.add_argument("--seed", default="1", help="the schedule's seed (same seed, same run)")
    parser.add_argument(
        "--documents",
        type=_documents,
        help=f"a scaled-down replay of N documents, or `all`: the period's (or the --start/--end "
        f"window's) real volume (default: {DEFAULT_DOCUMENTS}; with --start/--end: all)",
    )
    pace = parser.add_mutually_exclusive_group()
    pace.add_argument(
        "--compress",
        type=positive_float,
        help="simulated seconds per wall second in office hours (off hours: x --ratio)",
    )
    pace.add_argument(
        "--wall",
        type=positive_float,
        help=f"fit the replay into this many seconds (default: {SCALED_WALL:g} for a "
        f"scaled-down replay, {FULL_WALL:g} for all documents: far more than one machine "
        "carries for a whole profile; see README)",
    )
    parser.add_argument("--ratio", type=positive_float, default=10.0, help="off-hours / office")
    parser.add_argument("--start", type=iso_date, help="first day replayed (YYYY-MM-DD)")
    parser.add_argument("--end", type=iso_date, help="last day replayed (YYYY-MM-DD)")
    parser.add_argument("--processes", type=positive_int, default=1, help="Locust processes")
    parser.add_argument("--report", type=Path, help="default: reports/loadtest-<profile>-<time>")
    parser.add_argument("--host", help="a running hub (default: start one on SQLite)")
    parser.add_argument("--credentials", type=Path, help="with --host: `eoffice seed`'s JSON")
    parser.add_argument(
        "--database-url",
        help="for the hub started here (default: SQLite); with --host, that hub's (for reconcile)",
    )
    parser.add_argument(
        "--workers", type=positive_int, default=1, help="uvicorn workers of that hub"
    )
    parser.add_argument(
        "--signed",
        action="store_true",
        help="sign every document before the run (PAdES, leader then agency); the hub enforces, "
        "receivers verify",
    )
    parser.add_argument("--pki-dir", type=Path, help="with --host --signed: that hub's PKI")
    parser.add_argument(
        "--attachment-cap", type=positive_int, default=32 * 1024, help="bytes per attachment"
    )
    parser.add_argument(
        "--drain",
        type=non_negative_float,
        default=180.0,
        help="seconds allowed after the end for the backlog to clear (the run stops once it has)",
    )
    parser.add_argument(
        "--duration",
        type=positive_float,
        help="stop after this many seconds, wherever the schedule is (a sample of a long run)",
    )
    parser.add_argument("--max-p99-ms", type=positive_float, help="fail when a call's p99 is above")
    parser.add_argument(
        "--max-error-rate", type=non_negative_float, help="fail above this share of requests"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin hub and Locust cores")
    parser.add_argument(
        "--prometheus-port",
        type=port,
        help="serve the run's figures live at http://127.0.0.1:PORT/metrics (for Prometheus)",
    )
    parser.add_argument(
        "--no-yardstick",
        action="store_true",
        help="skip measuring this machine's yardstick before the replay (~3 s)",
    )
    add_history_argument(parser)
    add_link_arguments(parser.add_argument_group("how the connectors reach the hub"))
    distributed.add_arguments(parser)
    return parser


def _documents(text: str) -> int | str:
    return ALL if text == ALL else positive_int(text)


def _scale(args: argparse.Namespace) -> int | None:
    """The documents replayed (None: the real volume) and so the default wall time."""
    if args.documents is None:
        return None if args.start or args.end else DEFAULT_DOCUMENTS
    return None if args.documents == ALL else int(args.documents)


def _params(args: argparse.Namespace) -> ReplayParams:
    profile = load_profile(args.profile)
    documents = _scale(args)
    wall = args.wall or (FULL_WALL if documents is None else SCALED_WALL)
    squeeze: Compression = compression_for(
        profile, args.compress, wall, args.ratio, args.start, args.end
    )
    return ReplayParams(
        profile=args.profile,
        seed=str(args.seed),
        documents=documents,
        office=squeeze.office,
        off_hours=squeeze.off_hours,
        start=args.start,
        end=args.end,
        attachment_cap=args.attachment_cap,
        signed=args.signed,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.worker:
        distributed.run_worker(args, LOCUSTFILE)
    distributed.check(parser, args)
    if args.host and not args.credentials:
        parser.error("--host needs --credentials (the JSON `eoffice seed` wrote for that hub)")
    if args.start and args.end and args.end < args.start:
        parser.error(f"--end {args.end} is before --start {args.start}")
    if args.host and args.signed and not args.pki_dir:
        parser.error("--host --signed needs --pki-dir (the PKI `eoffice seed` issued for that hub)")
    if problem := history_problem(args):
        parser.error(problem)
    if args.host:
        problem = check_host(args.host)
        if problem:
            print(f"eoffice loadtest: {problem}", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, _interrupt)
    params = _params(args)
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    folder = args.report or Path("reports") / f"loadtest-{Path(args.profile).stem}-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with ExitStack() as stack:
            run = _hub(stack, args, params, folder)
            report = _replay(args, params, folder.resolve(), run)
    except RuntimeError as error:
        print(f"eoffice loadtest: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say("interrupted before the replay started: nothing to report")
        return 130
    return _publish(report, folder, Thresholds(args.max_p99_ms, args.max_error_rate))


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _hub(
    stack: ExitStack, args: argparse.Namespace, params: ReplayParams, folder: Path
) -> dict[str, Any]:
    """The hub to replay against: `--host`, or one started here (stopped on the way out)."""
    if args.host:
        pki = str(args.pki_dir.resolve()) if args.pki_dir else None
        return {
            "hub_url": args.host,
            "credentials": str(args.credentials),
            "database_url": args.database_url,
            "pki_dir": pki,
        }
    url = args.database_url or f"sqlite:///{(folder / 'hub.db').resolve()}"
    data = (folder / "data").resolve()
    _say(f"seeding {args.profile}'s registries into {url}")
    profile = load_profile(args.profile)
    credentials = seed_profile(profile, url, data, folder / "credentials.json", signed=args.signed)
    history = preload(args, params, url, data, folder, _say)
    cores = Cores.choose(not args.no_pin and args.processes == 1, args.workers)
    policy = {"EXCHANGE_SIGNATURE_POLICY": "enforce"} if args.signed else None
    log = folder / "hub.log"
    server = HubServer(url, data, free_port(), args.workers, extra=policy, log=log)
    stack.callback(server.stop)
    server.start(cores.hub)
    _say(f"hub at {server.url} ({args.workers} worker(s))")
    return {
        "hub_url": server.url,
        "credentials": str(credentials),
        "database_url": url,
        "pki_dir": str(data / "pki"),
        "signature_policy": "enforce" if args.signed else "record",
        **history,
    }


def _sign(params: ReplayParams, run: dict[str, Any], folder: Path) -> list[str]:
    """`--signed`: sign the replay's documents now; the Locust options that send them."""
    from loadtests.replay.presigned import batches, sign_replay  # signing: only when asked

    signed = folder / "signed"
    shutil.rmtree(signed, ignore_errors=True)
    signed.mkdir()
    pki = Path(run["pki_dir"])
    roster = load_roster(Path(run["credentials"]))
    work = batches(
        replay_events(params),
        roster.names(),
        pki_dir=pki,
        attachment_cap=params.attachment_cap,
        folder=signed,
    )
    began = time.perf_counter()
    count = sign_replay(work, os.cpu_count() or 1)
    _say(f"signed {count:,} documents in {time.perf_counter() - began:.0f} s")
    return ["--replay-signed", str(signed), "--replay-trust", str(pki / "public")]


def _command(
    args: argparse.Namespace, params: ReplayParams, folder: Path, run: dict[str, Any]
) -> list[str]:
    """Locust headless; its users (one per worker) and wall 0 come from the locustfile."""
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    command += ["--host", run["hub_url"]]
    command += ["--csv", str(folder / "locust"), "--html", str(folder / "locust.html")]
    command += ["--only-summary", "--loglevel", "WARNING", "--stop-timeout", "0"]
    command += ["--replay-params", params.dumps(), "--replay-credentials", run["credentials"]]
    command += ["--replay-out", str(folder / "parts")]
    command += link_from(args).arguments("--replay-")
    return command + distributed.locust_flags(args)


def _replay(
    args: argparse.Namespace, params: ReplayParams, folder: Path, run: dict[str, Any]
) -> dict[str, Any]:
    parts = folder / "parts"
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    profile = load_profile(params.profile)
    wall = wall_seconds(profile, params)
    planned = expected_documents(profile, params)
    signing = _sign(params, run, folder) if params.signed else []
    command = _command(args, params, folder, run) + signing
    locust = LocustProcess(command, folder / "locust.log", parts)
    yardstick = [] if args.no_yardstick else _yardstick(run["hub_url"])
    _say(f"replaying ~{planned:,} documents in ~{wall:.0f} s (+ drain); report in {folder}")
    _say(distributed.describe(args))
    observe = _exporter(args.prometheus_port)
    interrupted = False
    try:
        locust.start()
        locust.watch(wall, planned, args.duration or wall + args.drain, observe)
    except KeyboardInterrupt:
        interrupted = True
        _say("interrupted: stopping Locust, writing the report so far")
    locust.stop()
    merged = locust.merged()
    if not merged.gauges:
        raise SystemExit(f"eoffice loadtest: Locust measured nothing:\n{locust.tail()}")
    info = {
        **run,
        "params": params.to_json(),
        "processes": args.processes,
        "transport": args.transport,
        "endpoint_prefix": args.endpoint_prefix,
        "locust_workers": locust.workers(),
        "started": merged.started,
        "elapsed_s": time.time() - merged.started,
        "wall_planned_s": wall,
        "interrupted": interrupted,
        "completed": not interrupted and merged.exhausted,
        "yardstick": yardstick,
    }
    return build_report(merged, profile, info)


def _yardstick(hub_url: str) -> list[dict[str, object]]:
    from loadtests.replay.yardstick import measure

    figures = measure(hub_url)
    _say("this machine: " + "; ".join(f"{f['value']:,.0f} {f['unit']}" for f in figures))
    return figures


def _exporter(port: int | None) -> Callable[[Merged], object] | None:
    if port is None:
        return None
    from loadtests.replay.prometheus import Exporter

    _say(f"live figures for Prometheus at http://127.0.0.1:{port}/metrics")
    return Exporter(port).update


def _publish(report: dict[str, Any], folder: Path, thresholds: Thresholds) -> int:
    from loadtests.replay.render import write_html  # matplotlib: only once there is a report

    broken = verdict(report, thresholds)
    report["thresholds"] = {
        "max_p99_ms": thresholds.max_p99_ms,
        "max_error_rate": thresholds.max_error_rate,
        "broken": broken,
    }
    json_path, html_path = write_report(report, folder), write_html(report, folder)
    judged = page.verdict(report)
    print(judged.headline)
    for finding in judged.findings:
        print(f"  {finding}")
    for name, value in page.summary_rows(report["summary"]):
        print(f"{name:<26} {value:>10}")
    for name, call in report["calls"].items():
        print(
            f"{name:<26} n={call['requests']:>8,} p50 {call['p50_ms']:>7,.0f} ms  "
            f"p99 {call['p99_ms']:>7,.0f} ms (from the intended time)"
        )
    print(f"report: {json_path} and {html_path}; Locust: {folder / 'locust.html'}")
    print(f"check exactly-once: eoffice reconcile --report {folder}")
    if report["interrupted"]:
        return 130
    return 1 if broken else 0


def _say(text: str) -> None:
    print(f"eoffice loadtest: {text}", file=sys.stderr, flush=True)
