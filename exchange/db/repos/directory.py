"""Systems and agencies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from exchange.db.models import agencies, systems
from exchange.db.repos.upsert import insert_new, upsert
from exchange.domain.agencies import Agency, System, Tier

__all__ = ["Contact", "DirectoryEntry", "DirectoryRepository", "SystemCredentials"]


@dataclass(frozen=True, slots=True)
class Contact:
    mail: str | None = None
    mobile: str | None = None
    fax: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    code: str
    name: str
    parent: str | None
    mail: str | None
    system_id: str
    version: int
    deleted: bool
    modified_at: datetime | None


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
                "mail": a.mail,
                "old_code": a.old_code,
            }
            for a in rows
        ]
        upsert(self._db, agencies, values, keys=["code"])

    def register(self, agency: Agency, contact: Contact, now: datetime) -> bool:
        """Add an agency, or bring back a retired one of the same system; False if it exists."""
        a = agencies.c
        values = {
            "name": agency.name,
            "tier": agency.tier.value,
            "parent": agency.parent,
            "province": agency.province,
            "mail": contact.mail,
            "mobile": contact.mobile,
            "fax": contact.fax,
            "modified_at": now,
        }
        revived = self._db.execute(
            update(agencies)
            .where(a.code == agency.code, a.deleted, a.system_id == agency.system_id)
            .values(**values, deleted=False, version=a.version + 1)
        ).rowcount
        if revived:
            return True
        row = {**values, "code": agency.code, "system_id": agency.system_id, "version": 1}
        return bool(insert_new(self._db, agencies, [row]))

    def retire(self, code: str, system_id: str, now: datetime) -> bool:
        """Mark the system's agency deleted (its row and history stay); False if none."""
        a = agencies.c
        query = (
            update(agencies)
            .where(a.code == code, a.system_id == system_id, a.deleted.is_(False))
            .values(deleted=True, version=a.version + 1, modified_at=now)
        )
        return bool(self._db.execute(query).rowcount)

    def changes(self) -> list[DirectoryEntry]:
        """Every agency ever registered, retired ones included, with its version."""
        a = agencies.c
        columns = [a[name] for name in DirectoryEntry.__slots__]
        rows = self._db.execute(select(*columns).order_by(a.code)).all()
        return [DirectoryEntry(*row) for row in rows]

    def secrets(self) -> dict[str, str]:
        return dict(self._db.execute(select(systems.c.id, systems.c.secret)).all())

    def systems(self) -> list[SystemCredentials]:
        rows = self._db.execute(select(systems).order_by(systems.c.id)).all()
        return [SystemCredentials(System(r.id, r.name), r.secret) for r in rows]

    def agencies(self) -> list[Agency]:
        """The agencies mail is routed to (not the retired ones)."""
        query = select(agencies).where(agencies.c.deleted.is_(False)).order_by(agencies.c.code)
        rows = self._db.execute(query).all()
        return [
            Agency(
                code=r.code,
                name=r.name,
                tier=Tier(r.tier),
                system_id=r.system_id,
                parent=r.parent,
                qd20_code=r.qd20_code,
                province=r.province,
                mail=r.mail,
                old_code=r.old_code,
            )
            for r in rows
        ]
