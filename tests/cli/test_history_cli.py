"""`eoffice db import-history` as a person runs it: after `eoffice seed`, a history file
loads once, the summary line says what and how fast, the audit chain still verifies, and a
second load is refused with its code (exit 2). Both back ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import eoffice_env, run

pytestmark = pytest.mark.db

UBND, SO = "000.00.00.H37", "000.00.01.H37"  # Ninh Bình's UBND tỉnh and a department


def _history(path: Path) -> Path:
    lines = [
        {"type": "history", "format": "eoffice-history/1", "until": "2017-01-01T00:00:00+07:00"},
        {"type": "attachment", "id": "cid:1", "name": "a.pdf", "mime": "application/pdf",
         "data": "JVBERi0xLjQ="},
        {"type": "document", "sender": UBND, "number": 3, "notation": "UBND-VP",
         "subject": "V/v thử", "priority": 0, "sent_at": "2016-12-01T09:00:00+07:00",
         "recipients": [SO], "attachments": ["cid:1"],
         "statuses": [{"by": SO, "code": "01", "at": "2016-12-01T09:05:00+07:00"}]},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_import_history_loads_once_and_keeps_the_chain(database_url: str, tmp_path: Path) -> None:
    env = eoffice_env(database_url, tmp_path / "data")
    assert run(env, "seed", "ninh-binh").returncode == 0
    path = _history(tmp_path / "history.jsonl")
    done = run(env, "db", "import-history", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("history: 1 documents, 1 deliveries, 1 status packages loaded in")
    assert run(env, "audit", "verify").returncode == 0
    again = run(env, "db", "import-history", str(path), "--json")
    assert again.returncode == 2
    assert "history_document_exists" in again.stderr and again.stdout == ""
