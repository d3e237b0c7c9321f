"""Statuses held until an agency may send them, and sent in order. Pure: time is passed in.

A schedule says when a recipient answers; a real connector can only answer what it has
fetched, and answers one document's statuses in order. Each (DocumentId, agency) has a chain:
its codes queue in schedule order, and the head leaves when its gates are open:

- `received`: the agency's connector fetched the document (01..06, 15, 16);
- `recalled`: it fetched its sender's 13 (15, 16);
- `sent`: the hub accepted the document (the sender's own 13).

One runner at a time drains a chain, so 03 never overtakes 01.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["RECALLED", "RECEIVED", "SENT", "Chains", "Held", "needs"]

RECEIVED, RECALLED, SENT = "received", "recalled", "sent"
Key = tuple[str, str]  # (DocumentId, agency)


def needs(code: str) -> frozenset[str]:
    if code == "13":
        return frozenset({SENT})
    if code in ("15", "16"):
        return frozenset({RECEIVED, RECALLED})
    return frozenset({RECEIVED})


@dataclass(frozen=True, slots=True)
class Held:
    code: str
    intended: float  # when it may go: the schedule's time, or the last gate's opening


@dataclass(slots=True)
class _Chain:
    gates: dict[str, float] = field(default_factory=dict)  # gate -> when it opened
    queue: deque[tuple[str, float]] = field(default_factory=deque)
    running: bool = False


class Chains:
    def __init__(self) -> None:
        self._chains: dict[Key, _Chain] = {}
        self.held = 0  # codes queued, not yet taken

    def add(self, key: Key, code: str, intended: float) -> bool:
        """Queue a code; True when the caller should start a runner for the chain."""
        chain = self._chains.setdefault(key, _Chain())
        chain.queue.append((code, intended))
        self.held += 1
        return self._claim(chain)

    def open(self, key: Key, gate: str, now: float) -> bool:
        """Open a gate (once); True when the caller should start a runner."""
        chain = self._chains.setdefault(key, _Chain())
        chain.gates.setdefault(gate, now)
        return self._claim(chain)

    def take(self, key: Key) -> Held | None:
        """The runner's next code, or None: the runner stops (until `add`/`open` says)."""
        chain = self._chains[key]
        if not self._ready(chain):
            chain.running = False
            return None
        code, intended = chain.queue.popleft()
        self.held -= 1
        opened = [chain.gates[g] for g in needs(code)]
        return Held(code, max([intended, *opened]))

    def _ready(self, chain: _Chain) -> bool:
        return bool(chain.queue) and needs(chain.queue[0][0]) <= chain.gates.keys()

    def _claim(self, chain: _Chain) -> bool:
        if chain.running or not self._ready(chain):
            return False
        chain.running = True
        return True
