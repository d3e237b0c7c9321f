"""Signed /vxp/ calls over a Locust FastHttpSession, each recorded twice: in Locust's stats
(by name) and in the replay's `Recorder` with the time it was meant to start.

A reply always comes back (status 0 for a transport error); `send` retries transport errors
and 5xx with the same body, as a real connector does (the hub answers 200 for a document it
already stored).
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

__all__ = ["RETRIES", "Reply", "SystemClient", "error_code"]

RETRIES = 6
BACKOFF_SECONDS = 0.25
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
        """sendEdoc, retried on transport errors and 5xx (same bytes, same DocumentId)."""
        reply = self.call(name, "POST", "/vxp/sendEdoc", intended, edxml, XML)
        for attempt in range(1, RETRIES):
            if not reply.retryable:
                break
            gevent.sleep(min(BACKOFF_SECONDS * 2**attempt, 4.0))
            reply = self.call(name, "POST", "/vxp/sendEdoc", intended, edxml, XML)
        return reply
