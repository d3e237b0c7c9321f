"""`eoffice loadtest` (forwarded to `loadtests.replay.run`), `eoffice capacity` (forwarded to
`loadtests.capacity.run`) and `eoffice reconcile`: the schedule a replay played against what
the hub's database holds.

The composition root for the check: the expected ledger comes from `loadtests` (the schedule
regenerated from the report's parameters), the actual one from `exchange.db.repos.ledger`, and
the comparison is `loadtests.replay.reconcile`'s.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exchange.db.engine import display_url, make_engine
from exchange.db.repos.ledger import LedgerDocument, LedgerRepository
from exchange.settings import Settings

if TYPE_CHECKING:
    from loadtests.replay.reconcile import HubDocument

__all__ = ["cmd_capacity", "cmd_loadtest", "cmd_reconcile", "register"]


def register(commands: Any) -> None:
    loadtest = commands.add_parser(
        "loadtest", help="replay a traffic profile with Locust", add_help=False, prefix_chars="+"
    )
    loadtest.add_argument("args", nargs=argparse.REMAINDER, help="see `eoffice loadtest --help`")
    loadtest.set_defaults(run=cmd_loadtest)
    capacity = commands.add_parser(
        "capacity",
        help="the documents/s one hub sustains for a profile",
        add_help=False,
        prefix_chars="+",
    )
    capacity.add_argument("args", nargs=argparse.REMAINDER, help="see `eoffice capacity --help`")
    capacity.set_defaults(run=cmd_capacity)
    reconcile = commands.add_parser("reconcile", help="check a replay's exactly-once delivery")
    reconcile.add_argument("--report", type=Path, required=True, help="the replay's report folder")
    reconcile.add_argument("--database-url", help="default: the report's, else the settings'")
    reconcile.set_defaults(run=cmd_reconcile)


def cmd_loadtest(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.replay.run import main  # not at import time: keeps the CLI light

    return main(args.args)


def cmd_capacity(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.capacity.run import main  # not at import time: keeps the CLI light

    return main(args.args)


def cmd_reconcile(settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.replay.expected import expected_ledger
    from loadtests.replay.params import ReplayParams, replay_events
    from loadtests.replay.reconcile import reconcile

    found = args.report / "report.json"
    if not found.is_file():
        print(
            f"eoffice reconcile: no report at {found}; is {args.report} a replay's folder?",
            file=sys.stderr,
        )
        return 2
    report = json.loads(found.read_text(encoding="utf-8"))
    url = args.database_url or report.get("database_url") or settings.database_url
    params = ReplayParams.from_json(report["params"])
    after = int(report.get("history", {}).get("last_doc", 0))  # --preload-history's
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            ledger = LedgerRepository(connection)
            result = reconcile(
                expected_ledger(replay_events(params)),
                _hub_documents(ledger.documents(after=after)),
                open_status_deliveries=ledger.open_status_deliveries(),
            )
    finally:
        engine.dispose()
    print(f"reconcile {args.report} against {display_url(url)}")
    if after:
        print(f"the preloaded history (documents up to id {after:,}) is left out")
    print("\n".join(result.lines()))
    return 0 if result.clean else 1


def _hub_documents(rows: Iterator[LedgerDocument]) -> Iterator[HubDocument]:
    from loadtests.replay.reconcile import HubDelivery, HubDocument

    for row in rows:
        deliveries = tuple(HubDelivery(d.recipient, d.state, d.codes) for d in row.deliveries)
        yield HubDocument(row.sender, row.document_id, row.business_type, deliveries)
