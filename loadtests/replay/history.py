"""`--preload-history`: the hub starts holding what the schedule would have produced before
the window, loaded in bulk by the hub's own `eoffice db import-history` (not over HTTP).

The history is the same schedule (profile, seed, scale) from the period's first day to the
eve of `--start`: every electronic document with every status sent before the window, all of
it acknowledged, as the replay's own traffic would have left it. Its documents are the
numbers the window's schedule counts on (numbering runs per agency per year), so no
DocumentId or number comes twice. Written as an `eoffice-history/1` file (JSON Lines, gzip):
documents, their recipients, each status with who sent it and when.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from loadtests.hub_process import eoffice_command, hub_environment
from loadtests.profiles import load_profile, load_registries
from loadtests.replay.bodies import SUBJECT, attachment_for
from loadtests.replay.params import ReplayParams
from loadtests.schedule import Document, Event, EventKind, schedule
from loadtests.schedule.clock import ICT

__all__ = [
    "FORMAT",
    "HistoryWritten",
    "add_history_argument",
    "history_line",
    "history_problem",
    "history_until",
    "preload",
    "preload_history",
    "write_history",
]

FORMAT = "eoffice-history/1"


@dataclass(frozen=True, slots=True)
class HistoryWritten:
    documents: int
    statuses: int
    seconds: float


def history_until(params: ReplayParams) -> date:
    """The window's first day: the history holds everything before its midnight."""
    if not params.start:
        raise ValueError("a history needs a window that starts after the period's first day")
    return date.fromisoformat(params.start)


def _events(params: ReplayParams) -> Iterator[Event]:
    profile = load_profile(params.profile)
    until = history_until(params)
    if until <= profile.start:
        raise ValueError(
            f"the window starts on the period's first day ({profile.start}): no history"
        )
    return schedule(
        profile,
        load_registries(profile),
        seed=params.seed,
        start=profile.start,
        end=until - timedelta(days=1),
        documents=params.documents,
        polls=False,
    )


def write_history(params: ReplayParams, path: Path) -> HistoryWritten:
    """The history file of the replay's window, in the documents' sending order."""
    began = time.perf_counter()
    documents: dict[str, tuple[Document, list[dict[str, str]]]] = {}
    statuses = 0
    for event in _events(params):
        document = event.document
        if document is None or not document.electronic:
            continue
        if event.kind is EventKind.SEND:
            documents[document.document_id] = (document, [])
        elif event.code and event.agency and document.document_id in documents:
            at = event.at.isoformat()
            documents[document.document_id][1].append(
                {"by": event.agency, "code": event.code, "at": at}
            )
            statuses += 1
    until = datetime.combine(history_until(params), datetime.min.time(), ICT)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        header = {"type": "history", "format": FORMAT, "until": until.isoformat()}
        _line(out, {**header, "profile": params.profile, "seed": params.seed})
        declared: set[str] = set()
        for document, said in documents.values():
            cid = _attachment(out, document, params.attachment_cap, declared)
            _line(out, _document(document, cid, said))
    return HistoryWritten(len(documents), statuses, time.perf_counter() - began)


def _line(out: IO[str], value: dict[str, Any]) -> None:
    out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def _attachment(out: IO[str], document: Document, cap: int, declared: set[str]) -> str:
    """The pooled attachment the replay would send with it, declared on first use."""
    pooled = attachment_for(document.attachment_size, cap)
    if pooled.content_id not in declared:
        declared.add(pooled.content_id)
        data = base64.b64encode(pooled.data).decode("ascii")
        _line(out, {"type": "attachment", "id": pooled.content_id, "name": pooled.name,
                    "mime": pooled.content_type, "data": data})  # fmt: skip
    return pooled.content_id


def _document(document: Document, cid: str, statuses: list[dict[str, str]]) -> dict[str, Any]:
    notation = document.document_id.rsplit(",", 1)[1].partition("/")[2]
    return {
        "type": "document",
        "sender": document.sender,
        "number": document.number,
        "notation": notation,
        "subject": SUBJECT,
        "priority": document.priority,
        "sent_at": document.sent_at.isoformat(),
        "recipients": list(document.recipients),
        "attachments": [cid],
        "statuses": statuses,
    }


def preload_history(
    params: ReplayParams, database_url: str, data_dir: Path, folder: Path
) -> dict[str, Any]:
    """Write the window's history to `folder` and load it into the (stopped) hub's database
    with `eoffice db import-history`; what was loaded, and how long each part took."""
    path = folder / "history.jsonl.gz"
    written = write_history(params, path)
    done = subprocess.run(
        [*eoffice_command(), "db", "import-history", str(path), "--json"],
        env=hub_environment(database_url, data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"eoffice db import-history failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    loaded: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**loaded, "until": params.start, "file": str(path), "file_seconds": written.seconds}


def history_line(history: dict[str, Any]) -> str:
    """What a run prints when it starts."""
    rows_per_second = history["rows"] / history["seconds"] if history["seconds"] else 0.0
    return (
        f"history: {history['documents']:,} documents, {history['deliveries']:,} deliveries,"
        f" {history['status_packages']:,} status packages loaded in {history['seconds']:.1f} s"
        f" ({history['cpu_seconds']:.1f} s of CPU; {history['rows']:,} rows,"
        f" {rows_per_second:,.0f} rows/s; the file took {history['file_seconds']:.1f} s to write)"
    )


def add_history_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preload-history",
        action="store_true",
        help="start from a hub holding the schedule's history before --start (loaded in bulk)",
    )


def history_problem(args: argparse.Namespace) -> str | None:
    """Why `--preload-history` cannot be done with these arguments (None: it can)."""
    if not getattr(args, "preload_history", False):
        return None
    if args.host:
        return (
            "--preload-history loads a hub started here: with --host, run"
            " `eoffice db import-history` on that hub's database before it serves"
        )
    if not args.start:
        return "--preload-history needs --start: the history is what came before the window"
    if args.signed:
        return "--preload-history loads unsigned documents: it does not go with --signed"
    return None


def preload(
    args: argparse.Namespace,
    params: ReplayParams,
    database_url: str,
    data_dir: Path,
    folder: Path,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """`--preload-history` before the hub starts: {"history": what was loaded} for the report."""
    if not args.preload_history:
        return {}
    say(f"writing and loading the history before {params.start}")
    history = preload_history(params, database_url, data_dir, folder)
    say(history_line(history))
    return {"history": history}
