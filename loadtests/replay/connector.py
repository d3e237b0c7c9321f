"""A system's connector: polls its inbox, fetches each message, reads it, acknowledges it.

Two loops per system, as integrations run them: one polls documents (getReceivedEdocList,
messagetype edoc), the other status packages (messagetype status). Each item is one delivery
to one of the system's agencies (`to`), with a docId of its own: fetched (getEdoc, the edXML
in base64), then acknowledged done (updateStatus), which takes it off the list. A document
opens the `received` gate of its recipient's chain (the clerk may now answer); a sender's 13
opens `recalled`. Status packages addressed to a sender are its connector collecting answers.
An empty inbox is polled again after `idle` seconds; a full one at once. Each poll's intended
time is its tick, so a slow hub shows in the poll latency too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import gevent  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]

from exchange.domain.messages import EdocMessage, Message, StatusMessage
from exchange.edxml import parse_edxml
from exchange.protocol.verification import verify_message
from loadtests.link import Reply
from loadtests.replay.chains import RECALLED, RECEIVED, Key
from loadtests.replay.context import Context, now_ict
from loadtests.replay.driver import Driver

__all__ = ["FETCHERS", "KINDS", "Connector"]

KINDS = ("edoc", "status")  # a loop each
FETCHERS = 8  # a connector's download threads
UNREADABLE = "unreadable_edxml"


class Connector:
    def __init__(self, context: Context, driver: Driver, system_id: str, idle: float) -> None:
        self.context, self.driver, self.idle = context, driver, idle
        self.client = context.client(system_id)
        self.hosted = context.hosted(system_id)

    def run(self, kind: str) -> None:
        """Poll one kind of message for ever."""
        tick = time.time()
        while True:
            wait = tick - time.time()
            if wait > 0:
                gevent.sleep(wait)
            items = self.poll(kind, tick)
            self.receive_all(kind, items, time.time())
            tick = time.time() if items else max(tick + self.idle, time.time())

    def poll(self, kind: str, intended: float) -> list[dict[str, Any]]:
        reply = self.client.received(kind, intended)
        return reply.answer.data if reply.ok else []

    def receive_all(self, kind: str, items: Iterable[dict[str, Any]], intended: float) -> None:
        workers = gevent.pool.Pool(FETCHERS)
        for item in items:
            workers.spawn(self.receive, kind, str(item["docId"]), str(item.get("to", "")), intended)
        workers.join()

    def receive(self, kind: str, doc_id: str, to: str, intended: float) -> None:
        """One delivery: fetch, read, (verify,) acknowledge, open the chain it gates."""
        reply = self.client.fetch(kind, doc_id, intended)
        if not reply.ok:
            return
        read = self._read(kind, reply)
        if read is None:
            return
        body, message = read
        fetched = time.time()
        if isinstance(message, EdocMessage) and self.context.trust is not None:
            self._verify(body, message)
        if not self._acknowledge(kind, doc_id, fetched):
            return
        if isinstance(message, EdocMessage):
            self._document(message, to)
        elif isinstance(message, StatusMessage) and message.status_code == "13":
            self._open((message.response_for.document_id, to), RECALLED, time.time())

    def _read(self, kind: str, reply: Reply) -> tuple[bytes, Message] | None:
        """The delivered edXML and its message; an unreadable one is an error of the run (it
        stays on the list: the next poll fetches it again)."""
        try:
            body = reply.answer.edxml
            return body, parse_edxml(body).message
        except Exception:  # whatever the hub sent, a connector cannot use it
            recorder = self.context.recorder
            recorder.errors[f"getEdoc {kind}|{UNREADABLE}"] += 1
            recorder.count("errors", time.time())
            return None

    def _verify(self, body: bytes, message: EdocMessage) -> None:
        """A receiver checks both signatures before registering (the schedule still decides
        its answer); a failure is counted as an error of the run, with its reason."""
        verification = verify_message(body, message, self.context.trust, now_ict())
        gauges = self.context.recorder.gauges
        if verification.valid:
            gauges["verified"] = gauges.get("verified", 0.0) + 1
        else:
            gauges["verify_failed"] = gauges.get("verify_failed", 0.0) + 1
            problem = verification.problem.value if verification.problem else "invalid"
            self.context.recorder.errors[f"verify signatures|{problem}"] += 1
            self.context.recorder.count("errors", time.time())

    def _document(self, message: EdocMessage, to: str) -> None:
        if to in self.hosted:
            self._open((message.document_id, to), RECEIVED, time.time())

    def _acknowledge(self, kind: str, doc_id: str, intended: float) -> bool:
        reply = self.client.acknowledge(kind, doc_id, intended)
        if reply.ok:
            self.context.recorder.count("acked", time.time())
        return reply.ok

    def _open(self, key: Key, gate: str, now: float) -> None:
        if self.context.chains.open(key, gate, now):
            self.context.pool.spawn(self.driver.drain_chain, key)
