"""`eoffice capacity`, forwarded to `loadtests.capacity.run`."""

from __future__ import annotations

import argparse
from typing import Any

from exchange.settings import Settings

__all__ = ["cmd_capacity", "register"]


def register(commands: Any) -> None:
    capacity = commands.add_parser(
        "capacity",
        help="the documents/s one hub sustains for a profile",
        add_help=False,
        prefix_chars="+",
    )
    capacity.add_argument("args", nargs=argparse.REMAINDER, help="see `eoffice capacity --help`")
    capacity.set_defaults(run=cmd_capacity)


def cmd_capacity(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.capacity.run import main  # not at import time: keeps the CLI light

    return main(args.args)
