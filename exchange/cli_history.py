"""`eoffice db import-history FILE`: a hub's history loaded in bulk (not over HTTP), as the
live exchange would have left it; for load tests that start from a hub of realistic size.
Run it on a hub that is not serving, after `eoffice seed`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from exchange.db.bulk import BulkLoader
from exchange.db.engine import make_engine
from exchange.db.migrate import upgrade
from exchange.db.writer import run_once
from exchange.domain.messages import Message
from exchange.protocol.verification import MessageVerification, verify_message
from exchange.services.directory import load_directory
from exchange.services.history.load import CHUNK, import_history
from exchange.services.history.messages import Composer, Verify
from exchange.services.history.records import HistoryInvalid
from exchange.services.trust import TrustProvider
from exchange.settings import Settings

__all__ = ["cmd_import_history", "register"]


def register(db_commands: Any) -> None:
    """Under `eoffice db`."""
    command = db_commands.add_parser(
        "import-history", help="load a history file in bulk (for load tests; hub stopped)"
    )
    command.add_argument("file", type=Path, help="JSON Lines, .gz allowed (eoffice-history/1)")
    command.add_argument(
        "--chunk", type=int, default=CHUNK, help=f"documents per transaction ({CHUNK})"
    )
    command.add_argument("--json", action="store_true", help="print the summary as JSON")
    command.set_defaults(run=cmd_import_history)


def cmd_import_history(settings: Settings, args: argparse.Namespace) -> int:
    if args.chunk < 1:
        print("eoffice db import-history: --chunk must be 1 or more", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        composer = Composer(
            run_once(engine, load_directory), settings.hub_organ_id, _verify(settings)
        )
        with engine.connect() as connection:
            loaded = import_history(BulkLoader(connection), composer, args.file, chunk=args.chunk)
    except HistoryInvalid as error:
        print(f"eoffice db import-history: {error.code}: {error.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(json.dumps(asdict(loaded)) if args.json else loaded.line())
    return 0


def _verify(settings: Settings) -> Verify:
    """What the hub's signature policy checks on arrival, at each message's time."""
    if settings.signature_policy == "off":
        return lambda _body, _message, _at: None
    trust = TrustProvider(settings.pki_path / "public")

    def verify(body: bytes, message: Message, at: datetime) -> MessageVerification | None:
        return verify_message(body, message, trust.current(), at)

    return verify
