"""Systems and agencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from exchange.db.models import agencies, systems
from exchange.db.repos.upsert import upsert
from exchange.domain.agencies import Agency, System, Tier

__all__ = ["DirectoryRepository", "SystemCredentials"]


@dataclass(frozen=True, slots=True)
class SystemCredentials:
    system: System
    secret: str


class DirectoryRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def save_systems(self, rows: Sequence[SystemCredentials]) -> None:
        values = [{"id": r.system.id, "name": r.system.name, "secret": r.secret} for r in rows]
        upsert(self._db, systems, values, keys=["id"])

    def save_agencies(self, rows: Sequence[Agency]) -> None:
        values = [
            {
                "code": a.code,
                "name": a.name,
                "tier": a.tier.value,
                "parent": a.parent,
                "qd20_code": a.qd20_code,
                "province": a.province,
                "system_id": a.system_id,
            }
            for a in rows
        ]
        upsert(self._db, agencies, values, keys=["code"])

    def secrets(self) -> dict[str, str]:
        return dict(self._db.execute(select(systems.c.id, systems.c.secret)).all())

    def systems(self) -> list[SystemCredentials]:
        rows = self._db.execute(select(systems).order_by(systems.c.id)).all()
        return [SystemCredentials(System(r.id, r.name), r.secret) for r in rows]

    def agencies(self) -> list[Agency]:
        rows = self._db.execute(select(agencies).order_by(agencies.c.code)).all()
        return [
            Agency(
                code=r.code,
                name=r.name,
                tier=Tier(r.tier),
                system_id=r.system_id,
                parent=r.parent,
                qd20_code=r.qd20_code,
                province=r.province,
            )
            for r in rows
        ]
