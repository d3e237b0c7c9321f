"""A system's calls over a Locust FastHttpSession, in the national protocol, each recorded
twice: in Locust's stats (by name) and in the replay's `Recorder` with the time it was meant to
start (the error code recorded is the answer's ErrorCode).

Requests are built by the system's `exchange.protocol.connector.Connector`; the JSON envelope
decides success, whatever the HTTP status. A reply always comes back (status 0 for a transport
error). Like a real connector, every call but the polls is retried on a transport error or a
5xx, with the same body (the request built afresh for each attempt), so a hub restarted in the
middle of a run loses nothing. Each retry is safe at the hub: sendEdoc answers OK with the
same DocId for a document or status package it already stored; updateStatus `done` on a
delivery already done answers OK; getEdoc only reads. A poll is not retried: the next tick is
its retry.

VXP integrators retry 5 times with exponential back-off from 30 s to 480 s (../shared/domain.md);
a compressed replay scales that down by 30: 1, 2, 4, 8, 16 s, ~31 s in all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import gevent  # type: ignore[import-untyped]
from locust.contrib.fasthttp import FastHttpSession

from exchange.protocol.connector import WireRequest
from loadtests.link import Link, Reply, exchange
from loadtests.replay.recorder import Recorder

__all__ = ["BACKOFF_SECONDS", "NOT_RETRIED", "RETRIES", "SystemClient", "backoff"]

RETRIES = 5  # after the first attempt
BACKOFF_SECONDS = 1.0  # before the first retry; doubled before each next one
NOT_RETRIED = frozenset({"getReceivedEdocList"})


def backoff(retry: int) -> float:
    """Seconds to wait before retry number `retry` (1 .. RETRIES)."""
    return BACKOFF_SECONDS * 2.0 ** (retry - 1)


class SystemClient:
    """One system's connector over the process's shared HTTP session."""

    def __init__(
        self, http: FastHttpSession, link: Link, system_id: str, secret: str, recorder: Recorder
    ) -> None:
        self.http, self.link, self.recorder = http, link, recorder
        self.connector = link.connector(system_id, secret)

    def call(self, name: str, build: Callable[[], WireRequest], intended: float) -> Reply:
        """The call, retried (each attempt recorded) unless it is a poll or the hub answered."""
        request = build()
        reply = self._attempt(name, request, intended)
        if request.call in NOT_RETRIED:
            return reply
        for retry in range(1, RETRIES + 1):
            if not reply.retryable:
                break
            gevent.sleep(backoff(retry))
            reply = self._attempt(name, build(), intended)
        return reply

    def _attempt(self, name: str, request: WireRequest, intended: float) -> Reply:
        start = time.time()
        reply = exchange(self.http, self.link, request, name)
        self.recorder.request(name, intended, start, time.time(), reply.code)
        return reply

    # The calls a replay makes.
    def send(self, name: str, edxml: bytes, sender: str, message_type: str, at: float) -> Reply:
        """sendEdoc (same bytes on every attempt: same DocumentId, same status package)."""
        connector = self.connector
        return self.call(
            name, lambda: connector.send_edoc(edxml, sender=sender, message_type=message_type), at
        )

    def received(self, message_type: str, intended: float) -> Reply:
        connector, name = self.connector, f"getReceivedEdocList {message_type}"
        return self.call(name, lambda: connector.get_received_edoc_list(message_type), intended)

    def fetch(self, message_type: str, doc_id: str, intended: float) -> Reply:
        connector, name = self.connector, f"getEdoc {message_type}"
        return self.call(name, lambda: connector.get_edoc(doc_id), intended)

    def acknowledge(self, message_type: str, doc_id: str, intended: float) -> Reply:
        connector, name = self.connector, f"updateStatus {message_type}"
        return self.call(name, lambda: connector.update_status(doc_id, "done"), intended)
