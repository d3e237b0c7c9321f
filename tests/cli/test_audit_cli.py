"""`eoffice audit verify` against the anchors a served hub wrote: a cut end and a re-sealed
rewrite are named; the database's files and the anchors are the owner's only; /metrics
counts agree over worker processes."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from exchange.domain.messages import Organization
from exchange.edxml import build_edxml
from exchange.protocol.client import HubClient
from exchange.protocol.compose import compose_edoc
from exchange.protocol.connector import Connector
from tests.cli.support import eoffice_env, run, serving

pytestmark = pytest.mark.db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _send_documents(base: str, systems: dict[str, dict[str, object]], count: int) -> None:
    province, district = systems["ninh-binh-tinh"], systems["ninh-binh-huyen-nho-quan"]
    sender = province["agencies"][0]["code"]  # type: ignore[index]
    with httpx.Client(base_url=base, timeout=30) as http:
        client = HubClient(http, Connector(str(province["systemId"]), str(province["secret"])))
        for number in range(1, count + 1):
            message = compose_edoc(
                Organization(sender),
                [Organization(district["agencies"][0]["code"])],  # type: ignore[index]
                number=number,
                notation="UBND-VP",
                subject="Neo nhật ký kiểm toán",
                on=datetime(2018, 5, 2, 9, 0, tzinfo=UTC),
            )
            assert client.send_edoc(build_edxml(message), sender, "edoc").http_status == 201


@pytest.fixture
def served_then_stopped(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Seed, serve on two workers, send 6 documents, scrape /metrics, stop the hub."""
    env = {**eoffice_env(database_url, tmp_path), "EXCHANGE_AUDIT_ANCHOR_RECORDS": "3"}
    seeded = run(env, "seed", "ninh-binh")
    assert seeded.returncode == 0, seeded.stderr
    credentials = seeded.stdout.strip().splitlines()[-1].removeprefix("credentials: ")
    systems = {s["systemId"]: s for s in json.loads(Path(credentials).read_text())["systems"]}
    with serving(env, tmp_path) as base:
        _send_documents(base, systems, 6)
        scrapes = [httpx.get(f"{base}/metrics").text for _ in range(6)]  # a connection each
        assert all('eoffice_documents{kind="edoc"} 6.0' in t for t in scrapes)
    # the workers' shutdown (SIGTERM) anchors the final head
    yield env


def _sql(database_url: str, statement: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _reseal_last_record(database_url: str) -> None:
    """The newest record changed and its hash recomputed: every link still holds."""
    from exchange.db.engine import make_engine
    from exchange.db.repos.audit import AuditRepository
    from exchange.domain.audit import seal

    engine = make_engine(database_url)
    with engine.begin() as connection:
        last = list(AuditRepository(connection).walk())[-1]
        forged = seal(last.seq, replace(last.entry, subject="x"), last.prev_hash)
        connection.execute(
            text("UPDATE audit_log SET subject = 'x', hash = :h WHERE seq = :s"),
            {"h": forged.hash, "s": last.seq},
        )
    engine.dispose()


def test_verify_names_a_resealed_rewrite_and_a_cut_end_against_the_anchors(
    served_then_stopped: dict[str, str], database_url: str
) -> None:
    data = Path(served_then_stopped["EXCHANGE_DATA_DIR"])
    assert _mode(data / "audit-anchors.jsonl") == 0o600
    assert _mode(data / "audit-anchor.key") == 0o600
    if database_url.startswith("sqlite"):
        files = [p for p in data.iterdir() if p.name.startswith("hub.db")]
        assert files and all(_mode(p) == 0o600 for p in files), files
    verified = run(served_then_stopped, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact: 8 records" in verified.stdout  # the seed's 2, the documents' 6
    assert "the anchor of record 8" in verified.stdout and "0 records since" in verified.stdout

    _reseal_last_record(database_url)
    rewritten = run(served_then_stopped, "audit", "verify")
    assert rewritten.returncode == 1
    assert "audit chain REWRITTEN: record 8" in rewritten.stdout, rewritten.stdout
    assert "the rewrite begins in records" in rewritten.stdout

    _sql(database_url, "DELETE FROM audit_log WHERE seq > 5")
    cut = run(served_then_stopped, "audit", "verify")
    assert cut.returncode == 1
    assert "audit chain CUT: records 6-8 are gone" in cut.stdout, cut.stdout
