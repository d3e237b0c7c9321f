"""`eoffice loadtest` on several Locust processes or machines: the options, their checks, the
Locust flags they become, and the worker mode.

- `--processes P`: P workers forked by Locust on this machine, under a master bound to the
  loopback on a free port (two runs on one machine never meet);
- `--master --expect-workers N`: this machine runs the master (and writes the report); it waits
  for N workers, started elsewhere with `--worker --master-host H`, and replays with those
  connected at that moment. Workers get everything from the master: the schedule's
  parameters, their share, the hub's address and the systems' credentials.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from loadtests.hub_process import free_port

__all__ = ["add_arguments", "check", "describe", "locust_flags", "run_worker"]

LOCUST_PORT = 5557  # Locust's own default


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("several machines (Locust's master and workers)")
    role = group.add_mutually_exclusive_group()
    role.add_argument(
        "--master",
        action="store_true",
        help="run Locust's master here: wait for --expect-workers workers, replay against "
        "--host (which they must reach) with its --credentials, write the report",
    )
    role.add_argument(
        "--worker",
        action="store_true",
        help="a worker of a --master elsewhere (only --master-host/--master-port and "
        "--processes apply; the rest comes from the master)",
    )
    group.add_argument("--expect-workers", type=int, default=1, help="with --master")
    group.add_argument(
        "--expect-workers-max-wait", type=int, default=0, help="seconds; 0: wait for ever"
    )
    group.add_argument(
        "--master-bind-host",
        default="127.0.0.1",
        help="with --master: the interface the workers reach (the channel is not "
        "authenticated: a private network's, or * behind a firewall)",
    )
    group.add_argument("--master-bind-port", type=int, default=LOCUST_PORT)
    group.add_argument("--master-host", default="127.0.0.1", help="with --worker")
    group.add_argument("--master-port", type=int, default=LOCUST_PORT)


def check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse combinations that cannot work (exits 2 with a sentence, as argparse does)."""
    if args.master and not (args.host and args.credentials):
        parser.error("--master needs --host (a hub the workers reach) and --credentials")
    if args.master and args.processes > 1:
        parser.error("--master takes its workers from --expect-workers, not --processes")
    if args.expect_workers < 1:
        parser.error("--expect-workers must be at least 1")
    if args.master and args.signed:  # the signed bodies are files on this machine
        parser.error("--signed works on one machine (--processes), not with --master")


def locust_flags(args: argparse.Namespace) -> list[str]:
    """The Locust flags of the master side (none for a single process)."""
    if args.master:
        flags = ["--master", "--expect-workers", str(args.expect_workers)]
        flags += ["--master-bind-host", args.master_bind_host]
        flags += ["--master-bind-port", str(args.master_bind_port)]
        if args.expect_workers_max_wait:
            flags += ["--expect-workers-max-wait", str(args.expect_workers_max_wait)]
        return flags
    if args.processes > 1:
        port = str(free_port())
        flags = ["--processes", str(args.processes), "--master-bind-host", "127.0.0.1"]
        return [*flags, "--master-bind-port", port, "--master-port", port]
    return []


def describe(args: argparse.Namespace) -> str:
    if args.master:
        where = f"{args.master_bind_host}:{args.master_bind_port}"
        return f"waiting for {args.expect_workers} Locust worker(s) on {where}"
    return f"{max(1, args.processes)} Locust process(es) on this machine"


def run_worker(args: argparse.Namespace, locustfile: Path) -> NoReturn:
    """Become a Locust worker (exec: signals reach Locust itself, as in a container)."""
    command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--worker"]
    command += ["--master-host", args.master_host, "--master-port", str(args.master_port)]
    command += ["--loglevel", "WARNING"]
    if args.processes > 1:
        command += ["--processes", str(args.processes)]
    where = f"{args.master_host}:{args.master_port}"
    print(f"eoffice loadtest: worker of the master at {where}", file=sys.stderr, flush=True)
    os.execv(sys.executable, command)
