"""The wire, kept for the trainer: every request a played system sent the hub and the answer
it got (headers, the signed sign-header, its HMAC, the body), the last few thousand in memory,
so a document's page can show what actually carried it."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exchange.protocol.answers import Answer
from exchange.protocol.connector import WireRequest
from exchange.protocol.wire import HASH_HEADER, SIGN_HEADER

__all__ = ["Exchange", "WireLog", "shown_edxml"]

_DOCUMENT_ID = re.compile(rb"<(?:\w+:)?DocumentId>([^<]{1,255})</")
_ATTACHMENT = re.compile(rb"(>)([A-Za-z0-9+/=\s]{200,})(<)")


@dataclass(frozen=True, slots=True)
class Exchange:
    at: datetime
    system_id: str
    request: WireRequest
    status: int
    answer: dict[str, Any]  # the envelope, getEdoc's base64 data left out
    edxml: bytes  # what the request carried (sendEdoc) or the answer did (getEdoc), or b""
    about: frozenset[str]  # the docIds and DocumentIds it concerns

    @property
    def sign_header(self) -> str:
        return self.request.header_dict().get(SIGN_HEADER, "")

    @property
    def hash_header(self) -> str:
        return self.request.header_dict().get(HASH_HEADER, "")

    @property
    def parameters(self) -> list[tuple[str, str]]:
        skip = (SIGN_HEADER, HASH_HEADER)
        return [(k, v) for k, v in self.request.headers if k not in skip]

    @property
    def answer_text(self) -> str:
        return json.dumps(self.answer, ensure_ascii=False, indent=1)

    @property
    def hub_trace(self) -> str:
        """The hub's TraceHeader in a delivered edXML ("" for what a sender sent)."""
        traces = re.findall(rb"<(?:\w+:)?TraceHeader>.*?</(?:\w+:)?TraceHeader>", self.edxml, re.S)
        return traces[-1].decode(errors="replace") if len(traces) > 1 else ""


class WireLog:
    def __init__(self, size: int = 4000) -> None:
        self._items: deque[Exchange] = deque(maxlen=size)

    def record(self, system_id: str, request: WireRequest, answer: Answer, at: datetime) -> None:
        edxml = request.body if request.call == "sendEdoc" else b""
        if request.call == "getEdoc" and answer.ok:
            edxml = answer.edxml
        envelope = {k: v for k, v in answer.fields.items() if not (k == "data" and edxml)}
        about = _ids(request, answer, edxml)
        self._items.append(
            Exchange(at, system_id, request, answer.http_status, envelope, edxml, about)
        )

    def clear(self) -> None:
        self._items.clear()

    def about(self, ids: Iterable[str]) -> list[Exchange]:
        """The exchanges that carried these documents (the sender's tracking calls left out:
        the timeline asks getSentEdocList every few seconds)."""
        wanted = {i for i in ids if i}
        carried = (e for e in self._items if e.request.call != "getSentEdocList")
        return [e for e in carried if e.about & wanted]


def _ids(request: WireRequest, answer: Answer, edxml: bytes) -> frozenset[str]:
    signed = request.header_dict().get(SIGN_HEADER, "{}")
    try:
        params = json.loads(signed)
    except ValueError:
        params = {}
    found = {str(v) for k, v in params.items() if k.lower().endswith("docid")}
    found.add(str(answer.fields.get("DocId", "")))
    found |= {m.decode(errors="replace") for m in _DOCUMENT_ID.findall(edxml)}
    return frozenset(found - {""})


def shown_edxml(edxml: bytes) -> str:
    """The edXML as text, each attachment's base64 cut to its first 120 characters."""
    cut = _ATTACHMENT.sub(lambda m: m.group(1) + m.group(2)[:120] + b"... [base64]<", edxml)
    return cut.decode(errors="replace")
