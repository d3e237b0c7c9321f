"""A system's connector: polls its inbox, fetches each message, reads it, acknowledges it.

Documents open the `received` gate of their recipients' chains (the clerk may now answer);
a sender's 13 opens `recalled`. Status packages addressed to a sender are its connector
collecting answers. An empty inbox is polled again after `idle` seconds; a full one at once.
Each poll's intended time is its tick, so a slow hub shows in the poll latency too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import gevent  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]

from exchange.domain.messages import EdocMessage, StatusMessage
from exchange.edxml import parse_edxml
from exchange.protocol.verification import verify_message
from loadtests.replay.calls import Reply
from loadtests.replay.chains import RECALLED, RECEIVED, Key
from loadtests.replay.context import Context, now_ict
from loadtests.replay.driver import Driver

__all__ = ["PAGE", "Connector"]

PAGE = 500
FETCHERS = 8  # a connector's download threads


class Connector:
    def __init__(self, context: Context, driver: Driver, system_id: str, idle: float) -> None:
        self.context, self.driver, self.idle = context, driver, idle
        self.client = context.client(system_id)
        self.hosted = context.hosted(system_id)

    def run(self) -> None:
        tick = time.time()
        while True:
            wait = tick - time.time()
            if wait > 0:
                gevent.sleep(wait)
            items = self.poll(tick)
            self.receive_all(items, time.time())
            tick = time.time() if items else max(tick + self.idle, time.time())

    def poll(self, intended: float) -> list[dict[str, Any]]:
        path, payload = "/vxp/getReceivedEdocList", {"limit": PAGE}
        reply = self.client.post_json("getReceivedEdocList", path, payload, intended)
        return list(reply.json()["items"]) if reply.ok else []

    def receive_all(self, items: Iterable[dict[str, Any]], intended: float) -> None:
        grouped: dict[tuple[int, str], list[str]] = {}
        for item in items:
            grouped.setdefault((int(item["docId"]), item["messageType"]), []).append(item["to"])
        workers = gevent.pool.Pool(FETCHERS)
        for (doc_id, kind), recipients in grouped.items():
            workers.spawn(self.receive, doc_id, kind, recipients, intended)
        workers.join()

    def receive(self, doc_id: int, kind: str, recipients: list[str], intended: float) -> None:
        reply = self.client.call(f"getEdoc {kind}", "GET", f"/vxp/getEdoc?docId={doc_id}", intended)
        if not reply.ok:
            return
        message = parse_edxml(reply.content).message
        fetched = time.time()
        if isinstance(message, EdocMessage) and self.context.trust is not None:
            self._verify(reply.content, message)
        if isinstance(message, EdocMessage):
            self._document(doc_id, message, fetched)
        elif isinstance(message, StatusMessage):
            self._status(doc_id, message, recipients, fetched)

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

    def _document(self, doc_id: int, message: EdocMessage, fetched: float) -> None:
        if not self._acknowledge("updateStatus edoc", doc_id, None, fetched):
            return
        now = time.time()
        for organization in message.recipients:
            if organization.organ_id in self.hosted:
                self._open((message.document_id, organization.organ_id), RECEIVED, now)

    def _status(
        self, doc_id: int, message: StatusMessage, recipients: list[str], fetched: float
    ) -> None:
        for agency in recipients:  # one delivery each: a 13 goes to several of our agencies
            if not self._acknowledge("updateStatus status", doc_id, agency, fetched):
                continue
            if message.status_code == "13":
                self._open((message.response_for.document_id, agency), RECALLED, time.time())

    def _acknowledge(self, name: str, doc_id: int, agency: str | None, intended: float) -> bool:
        payload: dict[str, Any] = {"docId": doc_id, "status": "done"}
        if agency:
            payload["agency"] = agency
        reply: Reply = self.client.post_json(name, "/vxp/updateStatus", payload, intended)
        if reply.ok:
            self.context.recorder.count("acked", time.time(), int(reply.json()["deliveries"]))
        return reply.ok

    def _open(self, key: Key, gate: str, now: float) -> None:
        if self.context.chains.open(key, gate, now):
            self.context.pool.spawn(self.driver.drain_chain, key)
