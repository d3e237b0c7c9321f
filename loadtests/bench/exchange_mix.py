"""The exchange mix as Locust users over the national protocol: provincial agencies send,
district and central systems receive and answer, the provincial system collects the answers.

- `AgencySender`, one per agency of the provincial system: sends a document (edXML, one
  attachment from a fixed pool) to ~4 agencies in different receiving systems and keeps at
  most `--in-flight` documents open, until every recipient has answered 03.
- `StatusCollector`, one per system hosting senders (its connector): polls its status
  packages (getReceivedEdocList, messagetype status: every one of its agencies' answers not
  yet acknowledged), and for each, a few at a time, fetches it, acknowledges it done and hands
  the answer to the sender it was addressed to (the item's `to`).
- `SystemConnector`, one per district system and the central system: polls its documents (one
  item per recipient agency, each with a docId of its own), and for each, a few at a time as a
  connector's download threads do, fetches it, reads the edXML, acknowledges it and answers 01
  then 03 from the agency it was addressed to.

Run: `locust -f loadtests/bench/exchange_mix.py --credentials hub-credentials.json ...`; with
`--docs-per-second` the senders are paced, otherwise they go as fast as the hub answers; with
`--drain` they send nothing and only collect (to empty the hub between two runs);
`--transport sdk` opens a new connection per call as the SDK does, `--endpoint-prefix /vxp`
calls a hub under that path, `--sdk-like` resends leftover parameters as the SDK does. With
`--presigned DIR` the senders send the signed documents `loadtests.signatures.presign` made
(each once); with `--receiver-trust DIR` the connectors verify each document's signatures
before answering (03 if they hold, 02 otherwise), trusting the CA bundle and CRL in DIR.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import gevent.event  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]
from locust import FastHttpUser, events, task
from locust.env import Environment

from exchange.domain.messages import StatusMessage
from exchange.protocol.receiver import Answer
from loadtests import call_cpu
from loadtests.bench.documents import VIETNAM, Delivered, answer, read_delivered, read_status
from loadtests.bench.ledger import Ledger
from loadtests.bench.mix_state import MixCounters, MixSettings, MixState, document_source
from loadtests.bench.pacing import Pacer
from loadtests.bench.receiver_check import REGISTER, ReceiverCheck
from loadtests.bench.signed import SignedClient
from loadtests.bench.window import install as install_window
from loadtests.link import add_link_arguments, link_from
from loadtests.roster import load_roster

__all__ = ["AgencySender", "MixCounters", "MixSettings", "StatusCollector", "SystemConnector"]

ARRIVED = "01"
IDLE_POLL_SECONDS = 0.2  # a connector with an empty inbox
STATUS_POLL_SECONDS = 0.5  # a sender that may not send yet; a collector with nothing new
CONNECTOR_WORKERS = 4  # a receiving connector's download threads
COLLECTOR_WORKERS = 8  # at least: the sending system's collects for all its agencies, one
# worker per sending agency (as many as the senders collecting their own answers would be)
GIVE_UP_SECONDS = 60.0


MIX = MixState()


def _arguments(parser: Any) -> None:
    group = parser.add_argument_group("exchange mix")
    group.add_argument(
        "--credentials",
        default=os.environ.get("EOFFICE_CREDENTIALS", ""),
        help="credentials JSON written by `eoffice seed` (or $EOFFICE_CREDENTIALS)",
    )
    group.add_argument("--mix-stats", default="", help="write the document counters here")
    group.add_argument("--docs-per-second", type=float, default=0.0, help="0: unpaced")
    group.add_argument("--in-flight", type=int, default=3, help="open documents per sender")
    group.add_argument("--recipients", type=int, default=4, help="recipients per document")
    group.add_argument("--drain", action="store_true", help="send nothing; receive and collect")
    group.add_argument("--presigned", default="", help="send the pre-signed documents in DIR")
    group.add_argument(
        "--receiver-trust", default="", help="receivers verify signatures (CA bundle, CRL in DIR)"
    )
    add_link_arguments(group)


def _configure(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None or not options.credentials:
        raise SystemExit("exchange_mix: pass --credentials (the JSON `eoffice seed` writes)")
    roster = load_roster(Path(options.credentials))
    MIX.configure(
        MixSettings(
            roster=roster,
            docs_per_second=options.docs_per_second,
            in_flight=options.in_flight,
            recipients=options.recipients,
            notation=f"UBND-{secrets.token_hex(3).upper()}",  # DocumentIds new to this hub
            sending=not options.drain,
            presigned=Path(options.presigned) if options.presigned else None,
            check=_check(options.receiver_trust),
            link=link_from(options),
        )
    )
    AgencySender.fixed_count = len(roster.senders)
    StatusCollector.fixed_count = len(roster.sending_systems)
    SystemConnector.fixed_count = len(roster.receivers)


def _check(public: str) -> ReceiverCheck | None:
    return ReceiverCheck.from_public(Path(public)) if public else None


def _start(**_kwargs: Any) -> None:
    """At the start, and again when the warm-up ends and the statistics start afresh."""
    MIX.counters = MixCounters(started=time.time())


def _stop(environment: Environment, **_kwargs: Any) -> None:
    MIX.counters.stopped = time.time()
    options = environment.parsed_options
    if options is not None and options.mix_stats:
        Path(options.mix_stats).write_text(json.dumps(asdict(MIX.counters), indent=1))


_LISTENERS: tuple[tuple[Any, Callable[..., None]], ...] = (
    (events.init_command_line_parser, _arguments),
    (events.init, _configure),
    (events.test_start, _start),
    (events.reset_stats, _start),
    (events.test_stop, _stop),
)
for _hook, _listener in _LISTENERS:
    _hook.add_listener(_listener)
install_window()
call_cpu.listen()


def _pacer(settings: MixSettings, rng: random.Random) -> Pacer | None:
    senders = len(settings.roster.senders)
    if settings.docs_per_second <= 0 or not senders:
        return None
    return Pacer.starting(settings.docs_per_second / senders, time.monotonic(), rng)


SENDERS: dict[str, AgencySender] = {}  # by agency code: where the collector hands answers


class AgencySender(FastHttpUser):
    """An agency of the provincial system: its clerk sends, at most `--in-flight` open."""

    def on_start(self) -> None:
        self.settings = MIX.current
        self.me = MIX.next_sender()
        system = self.me.system
        self.hub = SignedClient(self.client, self.settings.link, system.system_id, system.secret)
        self.ledger = Ledger()
        self.rng = random.Random()
        self.source = document_source(self.settings, self.me, self.rng)
        self.pacer = _pacer(self.settings, self.rng)
        self.room = gevent.event.Event()  # set when a document leaves the ledger
        self.doc_ids: set[str] = set()
        self.busy = True
        self.exhausted = False
        SENDERS[self.me.agency.code] = self

    def wait_time(self) -> float:
        if self.pacer is not None and self._may_send():
            return min(STATUS_POLL_SECONDS, self.pacer.wait(time.monotonic()))
        return 0.0 if self.busy else STATUS_POLL_SECONDS

    @task
    def exchange(self) -> None:
        now = time.monotonic()
        MIX.counters.documents_given_up += self.ledger.give_up(now - GIVE_UP_SECONDS)
        if not self._may_send():
            self.busy = self._can_send_later() and self._wait_for_room()
            return
        if not self._due(now):
            self.busy = True
            return
        self.busy = self.send_document()
        if self.busy and self.pacer is not None:
            self.pacer.sent(now)

    def _can_send_later(self) -> bool:
        return self.settings.sending and not self.exhausted

    def _may_send(self) -> bool:
        free = self.ledger.outstanding < self.settings.in_flight
        return self._can_send_later() and free

    def _wait_for_room(self) -> bool:
        """Until an answer completes a document (or a while passes); True if one did."""
        self.room.clear()
        return bool(self.room.wait(STATUS_POLL_SECONDS))

    def _due(self, now: float) -> bool:
        return self.pacer is None or self.pacer.due(now)

    def send_document(self) -> bool:
        outgoing = self.source.next()
        if outgoing is None:
            self.exhausted = True
            MIX.counters.senders_out_of_documents += 1
            return False
        doc_id = self.hub.send("sendEdoc edoc", outgoing.body, self.me.agency.code)
        if doc_id is None:
            return False
        if doc_id in self.doc_ids:
            MIX.counters.documents_repeated += 1
            return True
        self.doc_ids.add(doc_id)
        MIX.counters.documents_sent += 1
        self.ledger.open(outgoing.document_id, list(outgoing.recipients), time.monotonic())
        return True

    def answered(self, status: StatusMessage) -> None:
        """A recipient's answer, collected by the system's connector."""
        answered = status.response_for.document_id
        if self.ledger.record(answered, status.sender.organ_id, status.status_code):
            MIX.counters.documents_completed += 1
            self.room.set()


class StatusCollector(FastHttpUser):
    """The provincial system's connector: collects the answers to its agencies' documents."""

    concurrency = 64  # connections of its session: its workers share them

    def on_start(self) -> None:
        self.system = MIX.next_collector()
        link = MIX.current.link
        self.hub = SignedClient(self.client, link, self.system.system_id, self.system.secret)
        senders = sum(1 for s in MIX.current.roster.senders if s.system == self.system)
        self.workers = max(COLLECTOR_WORKERS, senders)
        self.busy = True

    def wait_time(self) -> float:
        return 0.0 if self.busy else STATUS_POLL_SECONDS

    @task
    def collect_all(self) -> None:
        items = self.hub.received("getReceivedEdocList status", "status") or []
        self.busy = bool(items)
        _each(self.workers, self.collect, items)

    def collect(self, item: dict[str, Any]) -> None:
        doc_id = str(item["docId"])
        status = self.hub.fetch("getEdoc status", doc_id, read_status)
        if status is None or not self.hub.acknowledge(doc_id):
            return
        MIX.counters.statuses_collected += 1
        sender = SENDERS.get(str(item.get("to", "")))
        if sender is not None:
            sender.answered(status)


class SystemConnector(FastHttpUser):
    """A district system's (or the central system's) connector to the hub."""

    def on_start(self) -> None:
        self.system = MIX.next_receiver()
        link = MIX.current.link
        self.hub = SignedClient(self.client, link, self.system.system_id, self.system.secret)
        self.agencies = {a.code: a for a in self.system.agencies}
        self.check = MIX.current.check
        self.busy = True

    def wait_time(self) -> float:
        return 0.0 if self.busy else IDLE_POLL_SECONDS

    @task
    def drain(self) -> None:
        items = self.hub.received("getReceivedEdocList edoc", "edoc") or []
        self.busy = bool(items)
        _each(CONNECTOR_WORKERS, self.receive, items)

    def receive(self, item: dict[str, Any]) -> None:
        """One delivery: the copy addressed to one of this system's agencies (`to`)."""
        doc_id = str(item["docId"])
        delivered = self.hub.fetch("getEdoc edoc", doc_id, read_delivered)
        if delivered is None or not self.hub.acknowledge(doc_id):
            return
        responder = self.agencies.get(str(item.get("to", "")))
        if responder is None:
            return
        final = self.verdict(delivered)
        for code, reason in ((ARRIVED, ""), (final.status_code, final.description)):
            on = datetime.now(VIETNAM)
            body = answer(responder, delivered.message, code, on=on, reason=reason)
            if self.hub.send("sendEdoc status", body, responder.code, "status") is None:
                break
            MIX.counters.statuses_sent += 1

    def verdict(self, delivered: Delivered) -> Answer:
        """03 (registered), or, for a receiver that checks signatures, 02 if they fail."""
        if self.check is None:
            return REGISTER
        verdict = self.check.answer(delivered, datetime.now(VIETNAM))
        MIX.counters.documents_verified += 1
        MIX.counters.documents_returned += verdict.status_code != REGISTER.status_code
        return verdict


Item = dict[str, Any]


def _each(workers: int, work: Callable[[Item], None], items: list[Item]) -> None:
    """`work` on every item, `workers` at a time (a connector's download threads)."""
    pool = gevent.pool.Pool(workers)
    try:
        for item in items:
            pool.spawn(work, item)
        pool.join()
    finally:
        pool.kill()
