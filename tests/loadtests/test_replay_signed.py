"""`eoffice loadtest --signed` end to end on SQLite: every document is signed before the run as
its agency signs it (PAdES, the leader then the agency, binding the schedule's DocumentId), the
embedded hub enforces signatures, and each receiving connector verifies what it fetches. No
timing is asserted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from exchange.domain.messages import EdocMessage
from exchange.edxml import parse_edxml
from loadtests.bench.receiver_check import public_trust
from signing.pades import verify_pdf
from tests.loadtests.support import eoffice


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("signed")
    done = eoffice(
        "loadtest",
        *("--documents", "60", "--wall", "15", "--drain", "120", "--signed"),
        *("--report", str(folder), "--max-error-rate", "0"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signed" in done.stderr
    return folder, json.loads((folder / "report.json").read_text())


def test_the_enforcing_hub_accepts_every_signed_document(
    signed: tuple[Path, dict[str, Any]],
) -> None:
    _, report = signed
    summary = report["summary"]
    assert report["signature_policy"] == "enforce" and report["params"]["signed"]
    assert summary["documents_accepted"] == summary["documents_planned"] > 0
    assert summary["errors"] == 0


def test_receivers_verify_every_document_they_fetch(signed: tuple[Path, dict[str, Any]]) -> None:
    _, report = signed
    fetched = report["calls"]["getEdoc edoc"]["requests"]
    assert report["summary"]["signatures_verified"] == fetched > 0
    assert report["summary"]["signatures_failed"] == 0


def test_each_body_carries_two_signatures_binding_its_document_id(
    signed: tuple[Path, dict[str, Any]],
) -> None:
    folder, report = signed
    bodies = sorted((folder / "signed").glob("*.xml"))
    assert len(bodies) == report["summary"]["documents_planned"]
    trust = public_trust(folder / "data" / "pki" / "public")
    for path in bodies[:3]:
        message = parse_edxml(path.read_bytes()).message
        assert isinstance(message, EdocMessage) and len(message.attachments) == 2
        letter = message.attachments[0].data
        checked = verify_pdf(letter, trust, datetime.now(UTC), document_id=message.document_id)
        assert checked.valid and checked.person and checked.organisation, checked.reason
        other = verify_pdf(letter, trust, datetime.now(UTC), document_id=f"{message.document_id}9")
        assert not other.valid  # bound to this DocumentId, not to another


def test_a_signed_run_reconciles_exactly_once(signed: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = signed
    done = eoffice("reconcile", "--report", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr


def test_signed_against_a_host_needs_its_pki(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.json"
    credentials.write_text('{"systems": []}')
    done = eoffice(
        "loadtest", "--signed", "--host", "http://127.0.0.1:9", "--credentials", str(credentials)
    )
    assert done.returncode == 2
    assert "--host --signed needs --pki-dir" in done.stderr


def test_signed_is_refused_with_workers_on_other_machines(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.json"
    credentials.write_text('{"systems": []}')
    done = eoffice(
        "loadtest",
        *("--signed", "--master", "--expect-workers", "2"),
        *("--host", "http://127.0.0.1:9", "--credentials", str(credentials)),
    )
    assert done.returncode == 2
    assert "--signed works on one machine (--processes), not with --master" in done.stderr
