"""`eoffice`: the hub, its registries and signatures, the trainers' workbench and the load
tester, one command each. The commands are their packages' own (`register` in each `cli`
module); this module only collects them, importing just the chosen command's module (a command
starts without loading every package), and turns a user's mistake into one line and exit 2."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from exchange.cli_args import Parser
from exchange.settings import Settings

__all__ = ["OWNERS", "main", "parser"]

DESCRIPTION = "eoffice-sim: the hub, its signatures, the trainers' workbench, the load tester."

# Each command, and the module that registers it (the package whose code it drives).
OWNERS = {
    "up": "exchange.cli",
    "seed": "exchange.cli",
    "serve": "exchange.cli",
    "db": "exchange.cli",
    "audit": "exchange.cli",
    "registry": "exchange.cli",
    "pki": "exchange.cli_signing",
    "pdf": "exchange.cli_signing",
    "sign": "exchange.cli_signing",
    "verify": "exchange.cli_signing",
    "demo": "exchange.cli_demo",
    "bench": "loadtests.bench.cli",
    "loadtest": "loadtests.replay.cli",
    "reconcile": "loadtests.replay.cli",
    "compare": "loadtests.replay.cli",
    "capacity": "loadtests.capacity.cli",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(argv).parse_args(argv)
    try:
        return int(args.run(Settings(), args) or 0)
    except KeyboardInterrupt:
        print(f"eoffice {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        from eoffice.mistakes import explain  # only on the way out: keeps the start light

        sentence = explain(error)
        if sentence is None:
            raise
        print(f"eoffice {args.command}: {sentence}", file=sys.stderr)
        return 2


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of the command `argv` names (of every command for `--help`, no command or a
    name that is none), as `eoffice` reads its arguments."""
    found = Parser(prog="eoffice", description=DESCRIPTION)
    commands = found.add_subparsers(required=True, metavar="COMMAND", dest="command")
    for module in _modules(sys.argv[1:] if argv is None else argv):
        _register(module, commands)
    return found


def _modules(argv: Sequence[str]) -> list[str]:
    named = next((word for word in argv if not word.startswith("-")), None)
    if named in OWNERS:
        return [OWNERS[named]]
    return list(dict.fromkeys(OWNERS.values()))


def _register(module: str, commands: Any) -> None:
    if module == "loadtests.replay.cli":  # reconcile reads the hub's ledger through eoffice/
        from eoffice.ledger import hub_ledger

        importlib.import_module(module).register(commands, hub_ledger)
    else:
        importlib.import_module(module).register(commands)
