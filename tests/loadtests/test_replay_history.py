"""`--preload-history`: the history is what the schedule itself would have produced before
the window (same documents, numbers and statuses), and a window replayed after it runs on a
hub that holds it: reconcile judges the window only (clean), the audit chain verifies, no
DocumentId comes twice and numbering goes on where the history left it. SQLite and
PostgreSQL. No timing is asserted."""

from __future__ import annotations

import gzip
import json
import os
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from loadtests.profiles import load_profile, load_registries
from loadtests.replay.history import write_history
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.schedule import EventKind, schedule
from tests.loadtests.support import eoffice

START, END = "2016-10-17", "2016-10-18"
PARAMS = ReplayParams("ninh-binh", "1", 2000, 100.0, 1000.0, START, END)


def _lines(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _documents(path: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for line in _lines(path):
        if line["type"] == "document":
            number_notation = f"{line['number']}/{line['notation']}"
            day = datetime.fromisoformat(line["sent_at"]).strftime("%Y/%m/%d")
            found[f"{line['sender']},{day},{number_notation}"] = line
    return found


def test_the_history_is_the_schedule_before_the_window(tmp_path: Path) -> None:
    written = write_history(PARAMS, tmp_path / "history.jsonl.gz")
    history = _documents(tmp_path / "history.jsonl.gz")
    profile = load_profile("ninh-binh")
    whole = schedule(profile, load_registries(profile), seed="1", end=date(2016, 10, 16),
                     documents=2000, polls=False)  # fmt: skip
    expected: dict[str, list[tuple[str, str]]] = {}
    for event in whole:
        document = event.document
        if document is None or not document.electronic:
            continue
        if event.kind is EventKind.SEND:
            expected[document.document_id] = []
        elif event.code and event.agency:
            expected[document.document_id].append((event.agency, event.code))
    assert written.documents == len(expected) > 50
    assert history.keys() == expected.keys()
    said = {key: [(s["by"], s["code"]) for s in line["statuses"]] for key, line in history.items()}
    assert said == expected
    assert _lines(tmp_path / "history.jsonl.gz")[0]["until"] == "2016-10-17T00:00:00+07:00"


def test_the_window_goes_on_numbering_where_the_history_stops(tmp_path: Path) -> None:
    write_history(PARAMS, tmp_path / "history.jsonl.gz")
    last: dict[str, int] = defaultdict(int)
    for line in _documents(tmp_path / "history.jsonl.gz").values():
        last[line["sender"]] = max(last[line["sender"]], line["number"])
    sent = [e.document for e in replay_events(PARAMS) if e.kind is EventKind.SEND and e.document]
    assert sent
    history = _documents(tmp_path / "history.jsonl.gz").keys()
    assert not history & {d.document_id for d in sent}
    first: dict[str, int] = {}
    for document in sent:
        first.setdefault(document.sender, document.number)
    continued = [s for s in first if s in last]
    assert continued and all(first[s] > last[s] for s in continued)


@pytest.mark.db
def test_a_window_replayed_on_a_preloaded_hub_reconciles_clean(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    done = eoffice(
        "loadtest", *("--documents", "2000", "--start", START, "--end", END),
        *("--wall", "10", "--drain", "120", "--preload-history", "--no-pin"),
        *("--database-url", database_url, "--report", str(folder), "--max-error-rate", "0"),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "history: " in done.stderr and " status packages loaded in " in done.stderr
    report = json.loads((folder / "report.json").read_text())
    assert report["history"]["documents"] == len(_documents(folder / "history.jsonl.gz")) > 50
    reconciled = eoffice("reconcile", "--report", str(folder))
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    assert "the preloaded history (documents up to id" in reconciled.stdout
    for kind in ("lost", "duplicated", "stuck", "unexpected"):
        assert any(line.split() == [kind, "0"] for line in reconciled.stdout.splitlines()), kind
    env = {"EXCHANGE_DATABASE_URL": database_url, "EXCHANGE_DATA_DIR": str(folder / "data")}
    verified = eoffice("audit", "verify", env={**os.environ, **env})
    assert verified.returncode == 0 and "audit chain intact" in verified.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "--preload-history needs --start"),
        (("--start", START, "--signed"), "it does not go with --signed"),
        (("--start", START, "--host", "http://127.0.0.1:9", "--credentials", "c.json"),
         "with --host, run `eoffice db import-history`"),
    ],
)  # fmt: skip
def test_preload_history_says_what_it_cannot_do(args: tuple[str, ...], says: str) -> None:
    done = eoffice("loadtest", "--preload-history", *args)
    assert done.returncode == 2 and says in done.stderr
