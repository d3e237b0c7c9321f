"""A sender's book of documents still waiting for their recipients' answers. Pure.

A document is complete when every recipient has registered it (status 03). The sender keeps
at most a few documents open, so the mix stays in a steady state instead of piling up a
backlog the receivers never drain; an entry open too long is given up, so a lost status
cannot stall a sender for the rest of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["COMPLETING_CODE", "Ledger"]

COMPLETING_CODE = "03"


@dataclass(slots=True)
class _Open:
    waiting: set[str]
    opened: float


@dataclass(slots=True)
class Ledger:
    _open: dict[str, _Open] = field(default_factory=dict)

    @property
    def outstanding(self) -> int:
        return len(self._open)

    def open(self, document_id: str, recipients: list[str], now: float) -> None:
        self._open[document_id] = _Open(set(recipients), now)

    def record(self, document_id: str, responder: str, code: str) -> bool:
        """Note an answer; True when it completes the document (it then leaves the book)."""
        entry = self._open.get(document_id)
        if entry is None or code != COMPLETING_CODE:
            return False
        entry.waiting.discard(responder)
        if entry.waiting:
            return False
        del self._open[document_id]
        return True

    def give_up(self, older_than: float) -> int:
        """Forget documents opened before `older_than`; returns how many."""
        stale = [key for key, entry in self._open.items() if entry.opened < older_than]
        for key in stale:
            del self._open[key]
        return len(stale)
