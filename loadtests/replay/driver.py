"""The open model: walk the schedule, and at each event's time hand it to a greenlet.

The driver never waits for a request to finish: a document is sent when the schedule says,
whatever is still in flight (the pool is large; if it ever fills, the driver falls behind and
the latency from the intended time shows it). Statuses queue in their chains (`chains`) until
the agency may send them. Paper documents are counted, never sent. Deliveries (what the
connectors must acknowledge) are counted from the schedule: the national answer to sendEdoc
names only the DocId.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import gevent  # type: ignore[import-untyped]

from loadtests.replay.bodies import edoc_body, status_body
from loadtests.replay.chains import SENT, Key
from loadtests.replay.context import Context, era_pair, now_ict
from loadtests.schedule import Document, Event, EventKind

__all__ = ["Driver"]


class Driver:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.events = 0

    def run(self, events: Iterable[Event]) -> None:
        started = self.context.recorder.started
        for event in events:
            at = started + event.wall
            wait = at - time.time()
            if wait > 0:
                gevent.sleep(wait)
            self.events += 1
            self.dispatch(event, at)

    def dispatch(self, event: Event, at: float) -> None:
        document = event.document
        if document is None:
            return
        if event.kind is EventKind.SEND:
            self._scheduled(document, at)
        elif event.kind is EventKind.STATUS and event.code and event.agency:
            self.context.documents.setdefault(document.document_id, document)
            key = (document.document_id, event.agency)
            if self.context.chains.add(key, event.code, at):
                self.context.pool.spawn(self.drain_chain, key)

    def _scheduled(self, document: Document, at: float) -> None:
        ctx = self.context
        pair = era_pair(ctx.profile, document)
        ctx.recorder.document(pair, document.sent_at.hour, document.electronic, at)
        if document.electronic:
            ctx.pool.spawn(self.send, document, at, pair)

    def send(self, document: Document, at: float, pair: str) -> None:
        ctx = self.context
        if ctx.signed is not None:
            body = ctx.signed.body(document.document_id)
        else:
            body = edoc_body(document, ctx.names, ctx.params.attachment_cap)
        system = ctx.client(_system_of(ctx, document.sender))
        reply = system.send("sendEdoc edoc", body, document.sender, "edoc", at)
        if not reply.ok:
            return
        now = time.time()
        ctx.recorder.accepted(pair, document.sent_at.hour, now, len(document.recipients))
        if ctx.chains.open((document.document_id, document.sender), SENT, now):
            ctx.pool.spawn(self.drain_chain, (document.document_id, document.sender))

    def drain_chain(self, key: Key) -> None:
        """Send a chain's statuses in order while its gates allow."""
        ctx = self.context
        document = ctx.documents[key[0]]
        system = ctx.client(_system_of(ctx, key[1]))
        while (held := ctx.chains.take(key)) is not None:
            body = status_body(document, key[1], held.code, ctx.names, now_ict())
            reply = system.send("sendEdoc status", body, key[1], "status", held.intended)
            if reply.ok:  # a refusal is recorded; reconcile reports the status missing
                ctx.recorder.count("deliveries", time.time(), _deliveries(document, held.code))


def _deliveries(document: Document, code: str) -> int:
    """Where the hub delivers a status package: a recall (13) to every recipient, any other
    answer to the document's sender (each delivery has a docId of its own to acknowledge)."""
    return len(document.recipients) if code == "13" else 1


def _system_of(ctx: Context, agency: str) -> str:
    return ctx.systems_by_agency[agency]
