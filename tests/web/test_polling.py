"""How each system polls (national protocol): documents then status packages, each copy
acknowledged by its own docId; a copy that cannot be taken is acknowledged `fail` (the hub
keeps listing it) and, at the third failure, `done` so that it stops coming back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from exchange.web.connector import Delivery
from exchange.web.incoming import sync
from tests.web.running import run


@dataclass
class BrokenClient:
    """Lists what was never acknowledged `done`; every download fails."""

    pending: dict[str, list[Delivery]]
    calls: list[tuple[str, str]] = field(default_factory=list)

    async def received(self, message_type: str = "edoc") -> list[Delivery]:
        self.calls.append(("list", message_type))
        return list(self.pending[message_type])

    async def get(self, doc_id: str) -> bytes:
        self.calls.append(("get", doc_id))
        raise OSError("the disk is full")

    async def ack(self, doc_id: str, status: str = "done") -> None:
        self.calls.append((status, doc_id))
        if status == "done":
            for copies in self.pending.values():
                copies[:] = [d for d in copies if d.doc_id != doc_id]


@dataclass
class FakeWorkbench:
    client: BrokenClient
    failures: dict[str, int] = field(default_factory=dict)
    sync_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    external: set[str] = field(default_factory=set)

    @property
    def clients(self) -> dict[str, BrokenClient]:
        return {"tinh": self.client}


def test_a_copy_that_fails_is_retried_then_given_up_at_the_third_try() -> None:
    copy = Delivery("4ec00000-0000-4000-8000-000000000001", "edoc", "A", "B", "pending")
    status = Delivery("4ec00000-0000-4000-8000-000000000002", "status", "B", "A", "pending")
    client = BrokenClient({"edoc": [copy], "status": [status]})
    wb = FakeWorkbench(client)

    async def rounds(count: int) -> None:
        for _ in range(count):
            await sync(wb)  # type: ignore[arg-type]

    run(rounds(1))
    assert client.calls == [
        ("list", "edoc"),
        ("get", copy.doc_id),
        ("fail", copy.doc_id),
        ("list", "edoc"),  # still listed, already tried this round: the round ends
        ("list", "status"),
        ("get", status.doc_id),
        ("fail", status.doc_id),
        ("list", "status"),
    ]
    run(rounds(2))
    acks = [c for c in client.calls if c[0] in ("fail", "done") and c[1] == copy.doc_id]
    assert acks == [("fail", copy.doc_id), ("fail", copy.doc_id), ("done", copy.doc_id)]
    assert client.pending == {"edoc": [], "status": []} and wb.failures == {}
