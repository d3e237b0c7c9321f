"""Read-only figures for the trainers' hub panel: traffic since a moment, by tier, and the
backlog. Like `audit_check`, it reads through its own connection, outside the writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, case, func, select

from exchange.db.models import agencies, deliveries, documents

__all__ = ["HubActivity", "TierActivity", "hub_activity"]

_WORKED = ("03", "04", "05", "06")


@dataclass(frozen=True, slots=True)
class TierActivity:
    sent: int = 0  # new documents whose sender is in the tier
    received: int = 0  # document deliveries to agencies of the tier
    registered: int = 0  # of those, registered or further on (03..06)
    returned: int = 0  # of those, returned (02)


@dataclass(frozen=True, slots=True)
class HubActivity:
    tiers: dict[str, TierActivity]
    statuses: int  # status packages accepted since the moment
    transport_backlog: int  # deliveries of any age not yet acknowledged done
    awaiting_clerk: int  # documents of any age delivered but neither registered nor returned


def hub_activity(engine: Engine, since: datetime) -> HubActivity:
    with engine.connect() as connection:
        sent = _sent_by_tier(connection, since)
        received = _received_by_tier(connection, since)
        tiers = {
            tier: TierActivity(sent.get(tier, 0), *received.get(tier, (0, 0, 0)))
            for tier in sorted({*sent, *received})
        }
        return HubActivity(
            tiers,
            _count(connection, select(func.count()).where(*_statuses_since(since))),
            _count(connection, select(func.count()).where(deliveries.c.state != "done")),
            _count(connection, _awaiting_clerk()),
        )


def _sent_by_tier(connection: Connection, since: datetime) -> dict[str, int]:
    d = documents.c
    query = (
        select(agencies.c.tier, func.count())
        .join(agencies, agencies.c.code == d.sender_code)
        .where(d.kind == "edoc", d.business_type == 0, d.created_at >= since)
        .group_by(agencies.c.tier)
    )
    return {str(tier): int(count) for tier, count in connection.execute(query)}


def _received_by_tier(connection: Connection, since: datetime) -> dict[str, tuple[int, int, int]]:
    d = deliveries.c
    worked = func.sum(case((d.business_status.in_(_WORKED), 1), else_=0))
    returned = func.sum(case((d.business_status == "02", 1), else_=0))
    query = (
        select(agencies.c.tier, func.count(), worked, returned)
        .join(agencies, agencies.c.code == d.recipient_code)
        .where(d.kind == "edoc", d.created_at >= since)
        .group_by(agencies.c.tier)
    )
    return {
        str(tier): (int(count), int(w or 0), int(r or 0))
        for tier, count, w, r in connection.execute(query)
    }


def _statuses_since(since: datetime) -> tuple[ColumnElement[bool], ...]:
    return (documents.c.kind == "status", documents.c.created_at >= since)


def _awaiting_clerk() -> Select[Any]:
    d = deliveries.c
    waiting = (d.business_status.is_(None)) | (d.business_status == "01")
    return select(func.count()).where(d.kind == "edoc", waiting)


def _count(connection: Connection, query: Select[Any]) -> int:
    return int(connection.execute(query).scalar_one())
