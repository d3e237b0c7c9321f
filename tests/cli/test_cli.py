"""The `eoffice` command as a user runs it: seed, serve with several workers, audit verify."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from exchange.protocol.answers import read_answer
from exchange.protocol.connector import Connector, WireRequest
from tests.cli.support import eoffice_env, run, serving

pytestmark = pytest.mark.db


def _credentials(output: str) -> dict[str, object]:
    path = output.strip().splitlines()[-1].removeprefix("credentials: ")
    assert os.stat(path).st_mode & 0o077 == 0, "credentials must be readable by the owner only"
    return json.loads(Path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_seed_prints_the_credentials_and_keeps_secrets_when_run_again(
    database_url: str, tmp_path: Path
) -> None:
    env = eoffice_env(database_url, tmp_path)
    first = run(env, "seed", "ninh-binh")
    assert first.returncode == 0, first.stderr
    assert "174 agencies" in first.stdout
    again = run(env, "seed", "ninh-binh")
    systems = {s["systemId"]: s for s in _credentials(first.stdout)["systems"]}  # type: ignore[attr-defined]
    reseeded = {s["systemId"]: s for s in _credentials(again.stdout)["systems"]}  # type: ignore[attr-defined]
    assert systems == reseeded
    assert len(systems["ninh-binh-tinh"]["agencies"]) == 21
    assert "central" in systems


def test_seed_without_certificates_issues_none_and_a_later_seed_issues_them(
    database_url: str, tmp_path: Path
) -> None:
    env = eoffice_env(database_url, tmp_path)
    bare = run(env, "seed", "ninh-binh", "--no-certificates")
    assert bare.returncode == 0, bare.stderr
    assert "certificates: 0 issued" in bare.stdout
    assert not list((tmp_path / "pki" / "issued").glob("*.pem"))  # the CAs only
    signing = run(env, "seed", "ninh-binh")  # a hub whose agencies will sign after all
    assert signing.returncode == 0, signing.stderr
    assert "certificates: 366 issued" in signing.stdout
    assert len(list((tmp_path / "pki" / "issued").glob("*.pem"))) == 366


def test_seed_refuses_an_unknown_province_clearly(database_url: str, tmp_path: Path) -> None:
    result = run(eoffice_env(database_url, tmp_path), "seed", "atlantis")
    assert result.returncode != 0
    assert "ninh-binh (2019)" in result.stderr  # the error lists what exists


def test_audit_verify_names_the_first_tampered_record(database_url: str, tmp_path: Path) -> None:
    env = eoffice_env(database_url, tmp_path)
    assert run(env, "seed", "ninh-binh").returncode == 0
    assert run(env, "seed", "quang-binh").returncode == 0
    intact = run(env, "audit", "verify")
    assert intact.returncode == 0 and "intact: 4 records" in intact.stdout
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET detail = '{\"agencies\": 1}' WHERE seq = 3"))
    engine.dispose()
    broken = run(env, "audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN at record 3" in broken.stdout


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, object]]]:
    env = eoffice_env(database_url, tmp_path)
    seeded = run(env, "seed", "ninh-binh")
    assert seeded.returncode == 0, seeded.stderr
    strict = {**env, "EXCHANGE_AUTH_PROFILE": "strict"}  # nonces are claimed across workers
    with serving(strict, tmp_path) as base:
        yield base, _credentials(seeded.stdout)


def _strict(system: dict[str, str]) -> Connector:
    return Connector(system["systemId"], system["secret"], profile="strict")


def _post(client: httpx.Client, request: WireRequest) -> httpx.Response:
    return client.request(
        request.method, request.path, content=request.body, headers=list(request.headers)
    )


def test_a_replay_is_refused_across_worker_processes(
    served: tuple[str, dict[str, object]],
) -> None:
    base, credentials = served
    request = _strict(credentials["systems"][0]).get_agencies_list()  # type: ignore[index]
    with ThreadPoolExecutor(8) as pool, httpx.Client(base_url=base) as client:
        responses = list(pool.map(lambda _: _post(client, request), range(16)))
    answers = [read_answer(r.content, r.status_code) for r in responses]
    assert sorted(a.http_status for a in answers) == [200] + [401] * 15
    assert {a.error_code for a in answers if not a.ok} == {"auth_nonce_replayed"}


def test_metrics_sum_requests_over_worker_processes(
    served: tuple[str, dict[str, object]],
) -> None:
    base, credentials = served
    connector = _strict(credentials["systems"][0])  # type: ignore[index]
    with httpx.Client(base_url=base) as client:
        for _ in range(12):
            assert _post(client, connector.get_agencies_list()).status_code == 200
        scrapes = [client.get("/metrics").text for _ in range(4)]
    line = 'eoffice_requests_total{path="/getAgenciesList",status="200"} 12.0'
    assert all(line in text for text in scrapes)


def test_the_same_document_sent_at_once_to_several_workers_is_stored_once(
    served: tuple[str, dict[str, object]],
) -> None:
    from datetime import UTC, datetime

    from exchange.domain.messages import Organization
    from exchange.edxml import build_edxml
    from exchange.protocol.compose import compose_edoc

    base, credentials = served
    systems = {s["systemId"]: s for s in credentials["systems"]}  # type: ignore[attr-defined]
    province, district = systems["ninh-binh-tinh"], systems["ninh-binh-huyen-nho-quan"]
    message = compose_edoc(
        Organization(province["agencies"][0]["code"]),
        [Organization(a["code"]) for a in district["agencies"][:4]],
        number=42,
        notation="UBND-VP",
        subject="Gửi lại khi mạng chập chờn",
        on=datetime(2018, 5, 2, 9, 0, tzinfo=UTC),
    )
    body = build_edxml(message)

    sender = province["agencies"][0]["code"]

    def send(_: int) -> httpx.Response:
        request = _strict(province).send_edoc(body, sender=sender)
        with httpx.Client(base_url=base, timeout=30) as client:
            return _post(client, request)

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(send, range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["DocId"] for r in responses}) == 1
