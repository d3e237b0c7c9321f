"""Walk the stored audit chain and find the first record that does not hold."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Engine

from exchange.db.repos.audit import AuditRepository
from exchange.domain.audit import AuditRecord, first_broken

__all__ = ["verify_audit_chain"]


def verify_audit_chain(engine: Engine) -> tuple[int, AuditRecord | None]:
    """(records read, the first broken record or None)."""
    seen = 0

    def counting(records: Iterable[AuditRecord]) -> Iterator[AuditRecord]:
        nonlocal seen
        for record in records:
            seen += 1
            yield record

    with engine.connect() as connection:
        broken = first_broken(counting(AuditRepository(connection).walk()))
    return seen, broken
