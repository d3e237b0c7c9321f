"""`eoffice`: the hub, its registries and signatures, the trainers' workbench and the load
tester, one command each. The commands are their packages' own (`register` in each `cli`
module); this module only collects them and turns a user's mistake into one line and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from eoffice.ledger import hub_ledger
from exchange import cli as hub
from exchange import cli_demo as demo
from exchange import cli_signing as signing
from exchange.registry import UnknownRegistry
from exchange.settings import Settings
from loadtests.bench import cli as bench
from loadtests.capacity import cli as capacity
from loadtests.replay import cli as replay
from signing import SigningError

__all__ = ["main", "parser"]

DESCRIPTION = "eoffice-sim: the hub, its signatures, the trainers' workbench, the load tester."


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(Settings(), args) or 0)
    except (UnknownRegistry, ValidationError, SigningError) as error:
        print(f"eoffice: {error}", file=sys.stderr)
        return 2


def parser() -> argparse.ArgumentParser:
    """Every command's parser, as `eoffice` reads its arguments."""
    found = argparse.ArgumentParser(prog="eoffice", description=DESCRIPTION)
    commands = found.add_subparsers(required=True, metavar="COMMAND")
    hub.register(commands)
    signing.register(commands)
    demo.register(commands)
    bench.register(commands)
    replay.register(commands, hub_ledger)
    capacity.register(commands)
    return found
