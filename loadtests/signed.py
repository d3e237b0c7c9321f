"""Signed /vxp/ calls over a Locust FastHttpSession, each named by endpoint in the stats.

A refused call (4xx, 5xx, a connection error, a body that does not parse) is recorded as a
failure and answered with None: the user carries on, as a connector retries on its next poll.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from locust.contrib.fasthttp import FastHttpSession

from exchange.protocol.auth import signed_headers

__all__ = ["SignedClient", "parse_json"]

T = TypeVar("T")
JSON = "application/json"
XML = "application/xml"


def parse_json(data: bytes) -> Any:
    return json.loads(data)


def _excerpt(data: bytes) -> str:
    return data[:200].decode("utf-8", "replace")


class SignedClient:
    def __init__(self, http: FastHttpSession, system_id: str, secret: str) -> None:
        self.http = http
        self.system_id = system_id
        self.secret = secret

    def call(
        self,
        name: str,
        method: str,
        path: str,
        parse: Callable[[bytes], T],
        *,
        body: bytes = b"",
        content_type: str | None = None,
        expect: Collection[int] = (200,),
    ) -> tuple[int, T] | None:
        """Sign and send; the status and what `parse` makes of the body (an error in it is a
        failure)."""
        headers = signed_headers(self.system_id, self.secret, method, path, body, now=time.time())
        if content_type:
            headers["Content-Type"] = content_type
        data: Any = body or None  # bytes go through as sent; the stub says str | dict
        with self.http.request(
            method, path, name=name, data=data, headers=headers, catch_response=True
        ) as response:
            content = response.content or b""
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}: {_excerpt(content)}")
                return None
            try:
                return response.status_code, parse(content)
            except Exception as error:  # a body we cannot use is the call's failure
                response.failure(f"{type(error).__name__}: {error}")
                return None

    def post_json(self, name: str, path: str, payload: dict[str, Any]) -> Any:
        body = json.dumps(payload).encode()
        reply = self.call(name, "POST", path, parse_json, body=body, content_type=JSON)
        return None if reply is None else reply[1]

    def send(self, name: str, edxml: bytes) -> tuple[int, Any] | None:
        """sendEdoc: 201 for a new message, 200 for one the hub already has."""
        return self.call(
            name,
            "POST",
            "/vxp/sendEdoc",
            parse_json,
            body=edxml,
            content_type=XML,
            expect=(200, 201),
        )

    def received(self, name: str, **query: Any) -> list[dict[str, Any]] | None:
        page = self.post_json(name, "/vxp/getReceivedEdocList", query)
        return None if page is None else list(page["items"])

    def fetch(self, name: str, doc_id: int, parse: Callable[[bytes], T]) -> T | None:
        reply = self.call(name, "GET", f"/vxp/getEdoc?docId={doc_id}", parse)
        return None if reply is None else reply[1]

    def acknowledge(self, doc_id: int, agency: str | None = None) -> bool:
        payload: dict[str, Any] = {"docId": doc_id, "status": "done"}
        if agency:
            payload["agency"] = agency
        return self.post_json("updateStatus", "/vxp/updateStatus", payload) is not None
