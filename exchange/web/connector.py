"""An agency system's connection to the hub: the real /vxp/ calls, each request signed with the
system's secret (exchange.protocol.auth), over an async httpx client. In the workbench the
client reaches the same application in-process (httpx.ASGITransport), so every check and
every refusal is the API's own."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx

from exchange.protocol.auth import signed_headers

__all__ = ["Connector", "HubRefusal"]


class HubRefusal(Exception):
    """The hub answered with an error: its status, stable code and sentence."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Connector:
    http: httpx.AsyncClient
    system_id: str
    secret: str

    async def call(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> httpx.Response:
        headers = signed_headers(self.system_id, self.secret, method, path, body, now=time.time())
        if content_type:
            headers["Content-Type"] = content_type
        response = await self.http.request(method, path, content=body, headers=headers)
        if response.status_code >= 400:
            raise _refusal(response)
        return response

    async def post_json(self, path: str, payload: dict[str, Any]) -> Any:
        body = json.dumps(payload).encode()
        return (await self.call("POST", path, body, "application/json")).json()

    async def send(self, edxml: bytes) -> dict[str, Any]:
        response = await self.call("POST", "/vxp/sendEdoc", edxml, "application/xml")
        result: dict[str, Any] = response.json()
        return result

    async def received(self, **query: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self.post_json("/vxp/getReceivedEdocList", query)
        return result

    async def get(self, doc_id: int) -> bytes:
        return (await self.call("GET", f"/vxp/getEdoc?docId={doc_id}")).content

    async def ack(self, doc_id: int, agency: str, status: str = "done") -> None:
        await self.post_json(
            "/vxp/updateStatus", {"docId": doc_id, "status": status, "agency": agency}
        )

    async def sent(self, doc_id: int) -> dict[str, Any]:
        result: dict[str, Any] = await self.post_json("/vxp/getSentEdocList", {"docId": doc_id})
        return result

    async def agencies(self) -> list[dict[str, Any]]:
        listing: list[dict[str, Any]] = (await self.call("GET", "/vxp/getAgenciesList")).json()[
            "agencies"
        ]
        return listing


def _refusal(response: httpx.Response) -> HubRefusal:
    try:
        body = response.json()
        return HubRefusal(response.status_code, str(body["code"]), str(body["detail"]))
    except (ValueError, KeyError, TypeError):
        return HubRefusal(response.status_code, "http_error", response.text[:200])
