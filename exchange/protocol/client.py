"""A connector over httpx: the national protocol's thirteen calls against any VXP hub.

`HubClient(http, connector)` sends what `Connector` builds. `transport="sdk"` opens a new
connection for every call, as the SDK does (`Connection: close`); `"keep-alive"` reuses one.
`AsyncHubClient` is the same over httpx.AsyncClient (the trainers' workbench).
"""

from __future__ import annotations

from typing import Literal

import httpx

from exchange.protocol.answers import Answer, read_answer
from exchange.protocol.connector import Connector, WireRequest

__all__ = ["AsyncHubClient", "HubClient", "Transport"]

Transport = Literal["keep-alive", "sdk"]


def _headers(request: WireRequest, transport: Transport) -> list[tuple[str, str]]:
    if transport == "sdk":
        return [*request.headers, ("Connection", "close")]
    return list(request.headers)


class HubClient:
    def __init__(
        self, http: httpx.Client, connector: Connector, transport: Transport = "keep-alive"
    ) -> None:
        self.http, self.connector, self.transport = http, connector, transport

    def transmit(self, request: WireRequest) -> httpx.Response:
        return self.http.request(
            request.method,
            request.path,
            content=request.body,
            headers=_headers(request, self.transport),
        )

    def call(self, request: WireRequest) -> Answer:
        response = self.transmit(request)
        return read_answer(response.content, response.status_code, raw=_raw(request))

    # The calls, named as the SDK names them.
    def send_edoc(self, edxml: bytes, sender: str, message_type: str = "edoc") -> Answer:
        return self.call(self.connector.send_edoc(edxml, sender=sender, message_type=message_type))

    def get_received_edoc_list(self, message_type: str = "edoc", **dates: str) -> Answer:
        return self.call(self.connector.get_received_edoc_list(message_type, **dates))

    def get_edoc(self, doc_id: str) -> Answer:
        return self.call(self.connector.get_edoc(doc_id))

    def download_edoc(self, doc_id: str) -> Answer:
        return self.call(self.connector.download_edoc(doc_id))

    def update_status(self, doc_id: str, status: str = "done") -> Answer:
        return self.call(self.connector.update_status(doc_id, status))

    def get_sent_edoc_list(self, doc_id: str) -> Answer:
        return self.call(self.connector.get_sent_edoc_list(doc_id))

    def get_agencies_list(self) -> Answer:
        return self.call(self.connector.get_agencies_list())


class AsyncHubClient:
    def __init__(
        self, http: httpx.AsyncClient, connector: Connector, transport: Transport = "keep-alive"
    ) -> None:
        self.http, self.connector, self.transport = http, connector, transport

    async def call(self, request: WireRequest) -> Answer:
        response = await self.http.request(
            request.method,
            request.path,
            content=request.body,
            headers=_headers(request, self.transport),
        )
        return read_answer(response.content, response.status_code, raw=_raw(request))


def _raw(request: WireRequest) -> bool:
    return request.call == "downloadEdoc"
