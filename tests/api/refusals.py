"""What every refusal test checks: the VXP envelope says FAIL with a stable code and a
sentence, the database is unchanged, and the refusal (only it) is in the audit log."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import create_engine, func, select

from exchange.db.models import audit_log, metadata
from exchange.domain.agencies import Agency
from exchange.protocol.answers import Answer, read_answer
from exchange.protocol.connector import WireRequest
from tests.api.harness import Hub


def counts(url: str) -> dict[str, int]:
    """Rows per table, the audit log aside."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
            if table.name != "audit_log"
        }
    engine.dispose()
    return found


def last_audit(url: str) -> tuple[str, dict[str, object]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            select(audit_log.c.event, audit_log.c.detail).order_by(audit_log.c.seq.desc()).limit(1)
        ).one()
    engine.dispose()
    return row.event, json.loads(row.detail)


def district_agency(hub: Hub, index: int = 0) -> Agency:
    systems = sorted({a.system_id for a in hub.agencies.values() if a.tier.value == "district"})
    return hub.hosted(systems[index])[0]


def assert_refused(
    hub: Hub, answer: Answer, status: int, code: str, before: dict[str, int]
) -> None:
    """The VXP envelope says FAIL with the code and a sentence; nothing stored; audited."""
    assert (answer.http_status, answer.fields.get("status"), answer.error_code) == (
        status,
        "FAIL",
        code,
    ), answer
    assert len(answer.error_desc) > 10 and answer.error_desc.endswith(".")
    url = hub.settings.database_url
    assert counts(url) == before, "a refused request changed the database"
    event, detail = last_audit(url)
    assert (event, detail["code"]) == ("refused", code)


def send_raw(hub: Hub, request: WireRequest, **changes: object) -> Answer:
    """A connector's request, with `changes` (headers, body) made after it was signed."""
    request = replace(request, **changes)  # type: ignore[arg-type]
    response = hub.http.request(
        request.method, request.path, content=request.body, headers=list(request.headers)
    )
    return read_answer(response.content, response.status_code)
