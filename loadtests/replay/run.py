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
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

from loadtests.hub_process import HubServer, free_port
from loadtests.link import add_link_arguments, link_from
from loadtests.machine import Cores
from loadtests.profiles import load_profile
from loadtests.replay import distributed
from loadtests.replay.history import add_history_argument, history_problem, preload
from loadtests.replay.hub import check_host, seed_profile
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.replay.presigned import batches, sign_replay
from loadtests.replay.progress import LocustProcess
from loadtests.replay.render import write_html
from loadtests.replay.report import Thresholds, build_report, verdict, write_report
from loadtests.replay.scale import compression_for, expected_documents, wall_seconds
from loadtests.roster import load_roster
from loadtests.schedule import Compression

__all__ = ["main"]

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eoffice loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", default="ninh-binh", help="fixtures/profiles name or path")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--documents", type=int, help="a scaled-down replay of N documents")
    pace = parser.add_mutually_exclusive_group()
    pace.add_argument(
        "--compress",
        type=float,
        help="simulated seconds per wall second in office hours (off hours: x --ratio)",
    )
    pace.add_argument("--wall", type=float, help="fit the period into this many seconds (600)")
    parser.add_argument("--ratio", type=float, default=10.0, help="off-hours squeeze / office")
    parser.add_argument("--start", help="first day replayed (ISO date)")
    parser.add_argument("--end", help="last day replayed (ISO date)")
    parser.add_argument("--processes", type=int, default=1, help="Locust processes")
    parser.add_argument("--report", type=Path, help="default: reports/loadtest-<profile>-<time>")
    parser.add_argument("--host", help="a running hub (default: start one on SQLite)")
    parser.add_argument("--credentials", type=Path, help="with --host: `eoffice seed`'s JSON")
    parser.add_argument(
        "--database-url",
        help="for the hub started here (default: SQLite); with --host, that hub's (for reconcile)",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of that hub")
    parser.add_argument(
        "--signed",
        action="store_true",
        help="sign every document before the run (PAdES, leader then agency); the hub enforces, "
        "receivers verify",
    )
    parser.add_argument("--pki-dir", type=Path, help="with --host --signed: that hub's PKI")
    parser.add_argument("--attachment-cap", type=int, default=32 * 1024, help="bytes")
    parser.add_argument("--drain", type=float, default=60.0, help="seconds allowed after the end")
    parser.add_argument(
        "--duration",
        type=float,
        help="stop after this many seconds, wherever the schedule is (a sample of a long run)",
    )
    parser.add_argument("--max-p99-ms", type=float, help="fail when a call's p99 is above")
    parser.add_argument("--max-error-rate", type=float, help="fail above this share of requests")
    parser.add_argument("--no-pin", action="store_true", help="do not pin hub and Locust cores")
    add_history_argument(parser)
    add_link_arguments(parser.add_argument_group("how the connectors reach the hub"))
    distributed.add_arguments(parser)
    return parser


def _params(args: argparse.Namespace) -> ReplayParams:
    profile = load_profile(args.profile)
    squeeze: Compression = compression_for(
        profile, args.compress, args.wall or 600.0, args.ratio, args.start, args.end
    )
    return ReplayParams(
        profile=args.profile,
        seed=str(args.seed),
        documents=args.documents,
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
    if args.duration is not None and args.duration <= 0:
        parser.error("--duration must be a positive number of seconds")
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
    credentials = seed_profile(load_profile(args.profile), url, data, folder / "credentials.json")
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
    _say(f"replaying ~{planned:,} documents in ~{wall:.0f} s (+ drain); report in {folder}")
    _say(distributed.describe(args))
    interrupted = False
    try:
        locust.start()
        locust.watch(wall, planned, args.duration or wall + args.drain)
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
    }
    return build_report(merged, profile, info)


def _publish(report: dict[str, Any], folder: Path, thresholds: Thresholds) -> int:
    broken = verdict(report, thresholds)
    report["thresholds"] = {
        "max_p99_ms": thresholds.max_p99_ms,
        "max_error_rate": thresholds.max_error_rate,
        "broken": broken,
    }
    json_path, html_path = write_report(report, folder), write_html(report, folder)
    summary = report["summary"]
    print(json.dumps(summary, indent=1))
    for name, call in report["calls"].items():
        print(
            f"{name:<26} n={call['requests']:>8,} p50 {call['p50_ms']:>9.1f} ms  "
            f"p99 {call['p99_ms']:>9.1f} ms (from intended)"
        )
    print(f"report: {json_path} and {html_path}; Locust: {folder / 'locust.html'}")
    print(f"check exactly-once: eoffice reconcile --report {folder}")
    for line in broken:
        print(f"FAIL {line}")
    if report["interrupted"]:
        return 130
    return 1 if broken else 0


def _say(text: str) -> None:
    print(f"eoffice loadtest: {text}", file=sys.stderr, flush=True)
