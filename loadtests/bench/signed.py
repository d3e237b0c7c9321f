"""One system's connector over a Locust FastHttpSession: the national protocol's calls the
exchange mix makes, each named in the stats by call and message type.

Requests are built by `exchange.protocol.connector.Connector` (signed as the SDK signs them)
and answers read as a connector reads them (`loadtests.link`). A refused call (FAIL, a body
without the envelope, no answer at all) is recorded as a failure and answered with None: the
user carries on, as a connector retries on its next poll.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from locust.contrib.fasthttp import FastHttpSession

from exchange.protocol.answers import Answer
from loadtests.link import Link, exchange, exchange_read

__all__ = ["SignedClient"]

T = TypeVar("T")


class SignedClient:
    def __init__(self, http: FastHttpSession, link: Link, system_id: str, secret: str) -> None:
        self.http, self.link = http, link
        self.connector = link.connector(system_id, secret)

    def send(self, name: str, edxml: bytes, sender: str, message_type: str = "edoc") -> str | None:
        """sendEdoc: the DocId the hub gave (the same one again for a message it has)."""
        request = self.connector.send_edoc(edxml, sender=sender, message_type=message_type)
        _, doc_id = exchange_read(self.http, self.link, request, name, _doc_id)
        return doc_id

    def received(self, name: str, message_type: str) -> list[dict[str, Any]] | None:
        """getReceivedEdocList: the oldest items not yet acknowledged done (up to the cap)."""
        request = self.connector.get_received_edoc_list(message_type)
        _, items = exchange_read(self.http, self.link, request, name, _items)
        return items

    def fetch(self, name: str, doc_id: str, parse: Callable[[bytes], T]) -> T | None:
        """getEdoc, and what `parse` makes of the edXML (an error in it is a failure)."""
        request = self.connector.get_edoc(doc_id)
        _, value = exchange_read(self.http, self.link, request, name, lambda a: parse(a.edxml))
        return value

    def acknowledge(self, doc_id: str, status: str = "done") -> bool:
        request = self.connector.update_status(doc_id, status)
        return exchange(self.http, self.link, request, "updateStatus").ok


def _doc_id(answer: Answer) -> str:
    doc_id = str(answer["DocId"])
    if not doc_id:
        raise ValueError("an OK sendEdoc answer without a DocId")
    return doc_id


def _items(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.data)
