"""A connector's view of the hub: the /vxp/ calls, each request signed, over any httpx client."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from exchange.protocol.auth import signed_headers

__all__ = ["HubClient"]


class HubClient:
    def __init__(
        self,
        http: httpx.Client,
        system_id: str,
        secret: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.http = http
        self.system_id = system_id
        self.secret = secret
        self.clock = clock

    def request(self, method: str, path: str, body: bytes = b"", **headers: str) -> httpx.Response:
        signed = signed_headers(self.system_id, self.secret, method, path, body, now=self.clock())
        return self.http.request(method, path, content=body, headers={**headers, **signed})

    def post_json(self, path: str, payload: dict[str, Any]) -> httpx.Response:
        body = json.dumps(payload).encode()
        return self.request("POST", path, body, **{"Content-Type": "application/json"})

    def send(self, edxml: bytes) -> httpx.Response:
        return self.request("POST", "/vxp/sendEdoc", edxml, **{"Content-Type": "application/xml"})

    def received(self, **query: Any) -> httpx.Response:
        return self.post_json("/vxp/getReceivedEdocList", query)

    def get(self, doc_id: int) -> httpx.Response:
        return self.request("GET", f"/vxp/getEdoc?docId={doc_id}")

    def ack(self, doc_id: int, status: str = "done", **extra: Any) -> httpx.Response:
        return self.post_json("/vxp/updateStatus", {"docId": doc_id, "status": status, **extra})

    def sent(self, doc_id: int) -> httpx.Response:
        return self.post_json("/vxp/getSentEdocList", {"docId": doc_id})

    def agencies(self) -> httpx.Response:
        return self.request("GET", "/vxp/getAgenciesList")
