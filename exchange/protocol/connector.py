"""A connector's requests, built the way the national SDK builds them (sans I/O).

`Connector.send_edoc(...)` and the other twelve calls return a `WireRequest` (method, path,
headers, body) that any HTTP client can send: httpx in the tests and the workbench, Locust in
the load tester. Behaviour the SDK has, and a hardened connector may drop:
- the timestamp is computed once, when the connector is built (`national` profile);
- `sdk_like=True` keeps every parameter an earlier call set, as the SDK's map does;
- the `strict` profile signs a fresh timestamp, a nonce and the body's hash on every call.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from exchange.protocol import wire

__all__ = ["CALLS", "Connector", "Profile", "WireRequest"]

Profile = Literal["national", "strict"]
JSON, OCTETS = "application/json", "application/octet-stream"

# call -> HTTP method and body, as the SDK sends them
CALLS: dict[str, tuple[str, bytes | None]] = {
    "sendEdoc": ("POST", None),  # the edXML followed by CRLF
    "getReceivedEdocList": ("POST", b""),
    "getEdoc": ("POST", b"{}"),
    "downloadEdoc": ("GET", b""),
    "updateStatus": ("POST", b"{}"),
    "getSentEdocList": ("POST", b""),
    "countReceiveEdoc": ("POST", b"{}"),
    "countReceiveStatus": ("POST", b"{}"),
    "getAgenciesList": ("POST", b""),
    "getAgenciesListQD20": ("POST", b""),
    "getSynchronizeUnit": ("POST", b""),
    "registerAgency": ("POST", None),  # the agency as JSON
    "deleteAgency": ("POST", b"{}"),
}


@dataclass(frozen=True, slots=True)
class WireRequest:
    call: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header_dict(self) -> dict[str, str]:
        return dict(self.headers)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Connector:
    """One system's credentials and the SDK's habits; builds signed requests."""

    def __init__(
        self,
        system_id: str,
        secret: str,
        *,
        prefix: str = "",
        profile: Profile = "national",
        sdk_like: bool = False,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.system_id, self.secret, self.profile = system_id, secret, profile
        self.prefix = prefix.rstrip("/")  # "" (host root) or e.g. "/vxp"
        self.sdk_like, self.clock = sdk_like, clock
        self.timestamp = wire.format_timestamp(clock())  # fixed for the connector's life
        self._leftovers: dict[str, str] = {}

    def request(
        self, call: str, params: Mapping[str, str], body: bytes | None = None
    ) -> WireRequest:
        """The call with its parameters signed; `body` replaces the call's usual one."""
        method, usual = CALLS[call]
        content = usual if body is None else body
        if content is None:
            raise ValueError(f"{call} needs a body")
        kind = OCTETS if call == "sendEdoc" else JSON
        pairs = self._params(params, kind, content)
        signed = wire.sign_header(pairs)
        headers = [(wire.PREFIX + key, value) for key, value in pairs]
        headers += [
            ("Content-Type", kind),
            (wire.SIGN_HEADER_KEY, ";".join(key for key, _ in pairs)),
            (wire.SIGN_HEADER, signed),
            (wire.HASH_HEADER, wire.hash_header(self.secret, signed)),
            ("User-Agent", wire.USER_AGENT),
            (wire.PREFIX + "version", wire.VERSION),
        ]
        return WireRequest(call, method, f"{self.prefix}/{call}", tuple(headers), content)

    def _params(self, params: Mapping[str, str], kind: str, body: bytes) -> list[tuple[str, str]]:
        if self.sdk_like:
            self._leftovers.update(params)
            params = self._leftovers
        timestamp = self.timestamp
        extra: list[tuple[str, str]] = []
        if self.profile == "strict":
            timestamp = wire.format_timestamp(self.clock())
            extra = [(wire.NONCE, secrets.token_hex(16)), (wire.BODY_HASH, wire.body_hash(body))]
        head = [("systemid", self.system_id)]
        tail = [("timestamp", timestamp), ("Content-Type", kind)]
        reserved = {"systemid", "timestamp", "content-type", wire.NONCE, wire.BODY_HASH}
        own = [(k, v) for k, v in params.items() if k.lower() not in reserved]
        return head + own + tail + extra

    # The thirteen calls.
    def send_edoc(
        self,
        edxml: bytes,
        *,
        sender: str,
        message_type: str = "edoc",
        to: list[str] | None = None,
    ) -> WireRequest:
        params = {"from": sender, "servicetype": "eDoc", "messagetype": message_type}
        if to is not None:
            params["to"] = json.dumps(to, separators=(",", ":"))
        params[wire.HASH_FILE] = wire.hash_file(edxml)
        return self.request("sendEdoc", params, edxml + b"\r\n")

    def get_received_edoc_list(
        self, message_type: str = "edoc", *, from_date: str = "", to_date: str = ""
    ) -> WireRequest:
        params = {"servicetype": "eDoc", "messagetype": message_type}
        if from_date:
            params["fromDate"] = from_date
        if to_date:
            params["toDate"] = to_date
        return self.request("getReceivedEdocList", params)

    def get_edoc(self, doc_id: str, file_path: str = "/tmp/edoc") -> WireRequest:
        return self.request("getEdoc", {"docId": doc_id, "filePath": file_path})

    def download_edoc(self, doc_id: str, file_path: str = "/tmp/edoc") -> WireRequest:
        return self.request("downloadEdoc", {"docId": doc_id, "filePath": file_path})

    def update_status(self, doc_id: str, status: str = "done") -> WireRequest:
        return self.request("updateStatus", {"docId": doc_id, "status": status})

    def get_sent_edoc_list(self, doc_id: str, message_type: str = "edoc") -> WireRequest:
        params = {"docId": doc_id, "servicetype": "eDoc", "messagetype": message_type}
        return self.request("getSentEdocList", params)

    def count_receive_edoc(self) -> WireRequest:
        return self.request("countReceiveEdoc", {})

    def count_receive_status(self) -> WireRequest:
        return self.request("countReceiveStatus", {})

    def get_agencies_list(self) -> WireRequest:
        return self.request("getAgenciesList", {})

    def get_agencies_list_qd20(self, level: int | str) -> WireRequest:
        return self.request("getAgenciesListQD20", {"level": str(level)})

    def get_synchronize_unit(self) -> WireRequest:
        return self.request("getSynchronizeUnit", {})

    def register_agency(self, agency: Mapping[str, str]) -> WireRequest:
        """`agency`: id, pcode (the parent), code, name, mail, mobile, fax."""
        return self.request("registerAgency", {}, json.dumps(dict(agency)).encode())

    def delete_agency(self, code: str) -> WireRequest:
        return self.request("deleteAgency", {"AgencyCode": code})
