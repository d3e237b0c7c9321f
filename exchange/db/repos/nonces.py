"""Request nonces, shared by every API worker process through the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete

from exchange.db.models import nonces
from exchange.db.repos.upsert import insert_one_if_new

__all__ = ["NonceRepository"]


class NonceRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def claim(self, system_id: str, nonce: str, expires_at: datetime) -> bool:
        """True when this nonce is new for the system; False when it was used already."""
        row = {"system_id": system_id, "nonce": nonce, "expires_at": expires_at}
        return insert_one_if_new(self._db, nonces, row)

    def purge(self, now: datetime) -> int:
        return int(self._db.execute(delete(nonces).where(nonces.c.expires_at < now)).rowcount)
