"""`eoffice loadtest` (forwarded to `loadtests.replay.run`) and `eoffice reconcile`: the
schedule a replay played against what the hub's database holds.

The expected ledger is the schedule regenerated from the report's parameters; the hub's side
is read by a `HubLedger` the entry module hands in (the load tester never imports the hub's
database code); the comparison is `loadtests.replay.reconcile`'s.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadtests.hub_process import display_url

if TYPE_CHECKING:
    from exchange.settings import Settings
    from loadtests.replay.reconcile import HubDocument

    # (database URL, the last id of a preloaded history) -> (the hub's documents after it,
    # how many status deliveries are still open), read while the context is open.
    HubLedger = Callable[[str, int], AbstractContextManager[tuple[Iterator[HubDocument], int]]]

__all__ = ["cmd_compare", "cmd_loadtest", "cmd_reconcile", "register"]


def register(commands: Any, hub_ledger: HubLedger) -> None:
    loadtest = commands.add_parser(
        "loadtest", help="replay a traffic profile with Locust", add_help=False, prefix_chars="+"
    )
    loadtest.add_argument("args", nargs=argparse.REMAINDER, help="see `eoffice loadtest --help`")
    loadtest.set_defaults(run=cmd_loadtest)
    reconcile = commands.add_parser("reconcile", help="check a replay's exactly-once delivery")
    reconcile.add_argument("--report", type=Path, required=True, help="the replay's report folder")
    reconcile.add_argument("--database-url", help="default: the report's, else the settings'")
    reconcile.set_defaults(run=lambda settings, args: cmd_reconcile(settings, args, hub_ledger))
    compare = commands.add_parser("compare", help="what changed between two replays' reports")
    compare.add_argument("report_a", type=Path, metavar="REPORT_A", help="a report folder")
    compare.add_argument("report_b", type=Path, metavar="REPORT_B", help="the one to compare")
    compare.set_defaults(run=cmd_compare)


def cmd_loadtest(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.replay.run import main  # not at import time: keeps the CLI light

    return main(args.args)


def cmd_reconcile(settings: Settings, args: argparse.Namespace, hub_ledger: HubLedger) -> int:
    from loadtests.replay.expected import expected_ledger
    from loadtests.replay.params import ReplayParams, played_events, replay_events
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
    early = _stopped_early(report)
    events = played_events(params, report["locust_workers"]) if early else replay_events(params)
    after = int(report.get("history", {}).get("last_doc", 0))  # --preload-history's
    with hub_ledger(url, after) as (documents, open_status_deliveries):
        result = reconcile(
            expected_ledger(events), documents, open_status_deliveries=open_status_deliveries
        )
    print(f"reconcile {args.report} against {display_url(url)}")
    if after:
        print(f"the preloaded history (documents up to id {after:,}) is left out")
    if early:
        unanswered = result.expected - int(report["summary"]["documents_accepted"])
        print(f"the run stopped early ({early}): only what it played is expected")
        print(f"  sent as it stopped and never answered: {unanswered:,} (lost if not on the hub)")
    print("\n".join(result.lines()))
    return 0 if result.clean else 1


def _stopped_early(report: dict[str, Any]) -> str | None:
    """Why the run did not play its whole schedule (None: it did, or the report predates the
    events count and only the whole schedule can be expected)."""
    workers = report.get("locust_workers") or []
    if report.get("completed", True) or not all("events" in row for row in workers):
        return None
    return "interrupted" if report.get("interrupted") else "--duration, or a worker lost"


def cmd_compare(_settings: Settings, args: argparse.Namespace) -> int:
    from loadtests.replay.compare import compare

    reports = []
    for folder in (args.report_a, args.report_b):
        found = folder / "report.json" if folder.is_dir() else folder
        if not found.is_file():
            print(f"eoffice compare: no report at {found}", file=sys.stderr)
            return 2
        reports.append(json.loads(found.read_text(encoding="utf-8")))
    print(f"A: {args.report_a}\nB: {args.report_b}")
    print("\n".join(compare(*reports)))
    return 0
