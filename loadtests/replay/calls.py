"""Signed /vxp/ calls over a Locust FastHttpSession, each recorded twice: in Locust's stats
(by name) and in the replay's `Recorder` with the time it was meant to start.

A reply always comes back (status 0 for a transport error). Like a real connector, every
call but the poll is retried on a transport error or a 5xx, with the same body (signed afresh:
new timestamp, new nonce), so a hub restarted in the middle of a run loses nothing. Each retry
is safe at the hub: sendEdoc answers 200 with the same docId for a document or status package
it already stored; updateStatus `done` on a delivery already done answers 200 with the same
count; getEdoc only reads. A poll is not retried: the next tick is its retry.

VXP integrators retry 5 times with exponential back-off from 30 s to 480 s (../shared/domain.md);
a compressed replay scales that down by 30: 1, 2, 4, 8, 16 s, ~31 s in all.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust.contrib.fasthttp import FastHttpSession

from exchange.protocol.auth import signed_headers
from loadtests.replay.recorder import Recorder

__all__ = [
    "BACKOFF_SECONDS",
    "NOT_RETRIED",
    "RETRIES",
    "Reply",
    "SystemClient",
    "backoff",
    "error_code",
]

RETRIES = 5  # after the first attempt
BACKOFF_SECONDS = 1.0  # before the first retry; doubled before each next one
NOT_RETRIED = frozenset({"/vxp/getReceivedEdocList"})
REFUSAL = re.compile(rb'"code"\s*:\s*"([^"]+)"')
JSON, XML = "application/json", "application/xml"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int  # 0: no answer (connection refused, reset, timeout)
    content: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status >= 500

    def json(self) -> Any:
        return json.loads(self.content)


def backoff(retry: int) -> float:
    """Seconds to wait before retry number `retry` (1 .. RETRIES)."""
    return BACKOFF_SECONDS * 2.0 ** (retry - 1)


def error_code(reply: Reply) -> str:
    """ "" for a success, else the hub's refusal code, else `HTTP nnn` or `connection`."""
    if reply.ok:
        return ""
    if reply.status == 0:
        return "connection"
    found = REFUSAL.search(reply.content[:500])
    return found[1].decode() if found else f"HTTP {reply.status}"


class SystemClient:
    """One system's credentials over the process's shared HTTP session."""

    def __init__(
        self, http: FastHttpSession, system_id: str, secret: str, recorder: Recorder
    ) -> None:
        self.http, self.system_id, self.secret, self.recorder = http, system_id, secret, recorder

    def call(
        self, name: str, method: str, path: str, intended: float, body: bytes = b"", kind: str = ""
    ) -> Reply:
        """The call, retried (each attempt recorded) unless it is a poll or the hub answered."""
        reply = self._attempt(name, method, path, intended, body, kind)
        if path.partition("?")[0] in NOT_RETRIED:
            return reply
        for retry in range(1, RETRIES + 1):
            if not reply.retryable:
                break
            gevent.sleep(backoff(retry))
            reply = self._attempt(name, method, path, intended, body, kind)
        return reply

    def _attempt(
        self, name: str, method: str, path: str, intended: float, body: bytes, kind: str
    ) -> Reply:
        headers = signed_headers(self.system_id, self.secret, method, path, body, now=time.time())
        if kind:
            headers["Content-Type"] = kind
        data: Any = body or None
        start = time.time()
        with self.http.request(
            method, path, name=name, data=data, headers=headers, catch_response=True
        ) as response:
            reply = Reply(response.status_code or 0, response.content or b"")
            code = error_code(reply)
            if code:
                response.failure(f"{code}: {reply.content[:200]!r}")
        self.recorder.request(name, intended, start, time.time(), code)
        return reply

    def post_json(self, name: str, path: str, payload: dict[str, Any], intended: float) -> Reply:
        return self.call(name, "POST", path, intended, json.dumps(payload).encode(), JSON)

    def send(self, name: str, edxml: bytes, intended: float) -> Reply:
        """sendEdoc (same bytes on every attempt: same DocumentId, same status package)."""
        return self.call(name, "POST", "/vxp/sendEdoc", intended, edxml, XML)
