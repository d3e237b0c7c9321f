"""`eoffice bench`, forwarded to `loadtests.bench.run`."""

from __future__ import annotations

import argparse
from typing import Any

from exchange.settings import Settings

__all__ = ["cmd_bench", "register"]


def register(commands: Any) -> None:
    bench = commands.add_parser(
        "bench", help="benchmark a local hub with Locust", add_help=False, prefix_chars="+"
    )
    bench.add_argument("args", nargs=argparse.REMAINDER, help="see `eoffice bench --help`")
    bench.set_defaults(run=cmd_bench)


def cmd_bench(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.bench.run import main  # not at import time: keeps the CLI light

    return main(args.args)
