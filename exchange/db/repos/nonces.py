"""Request nonces, shared by every API worker process through the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete

from exchange.db.models import nonces
from exchange.db.repos.upsert import insert_new

__all__ = ["NonceClaim", "NonceRepository"]


@dataclass(frozen=True, slots=True)
class NonceClaim:
    system_id: str
    nonce: str
    expires_at: datetime

    @property
    def key(self) -> tuple[str, str]:
        return (self.system_id, self.nonce)


class NonceRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def claim(self, claims: Sequence[NonceClaim]) -> set[tuple[str, str]]:
        """Store the claims in one statement; the keys that were new (the others are replays,
        also when the same nonce comes twice in `claims`)."""
        rows = [
            {"system_id": c.system_id, "nonce": c.nonce, "expires_at": c.expires_at} for c in claims
        ]
        return {(r.system_id, r.nonce) for r in insert_new(self._db, nonces, rows)}

    def release(self, claims: Sequence[NonceClaim]) -> None:
        """Forget claims of refused requests: a refusal stores nothing, its nonce included."""
        for claim in claims:
            query = delete(nonces).where(
                nonces.c.system_id == claim.system_id, nonces.c.nonce == claim.nonce
            )
            self._db.execute(query)

    def purge(self, now: datetime) -> int:
        return int(self._db.execute(delete(nonces).where(nonces.c.expires_at < now)).rowcount)
