"""How the load tester reaches a hub: over the national protocol only, as a connector does.

`Link` says where the calls go (`prefix`: "" for the host root, as the national hub serves
them; "/vxp" for our hub's second mount), how they travel (`transport`: "keep-alive" reuses
connections, "sdk" opens a new one per call as the SDK does, by sending `Connection: close`)
and whether each system's `Connector` keeps the SDK's leftover parameters (`sdk_like`).
`exchange` sends one `WireRequest` over Locust's FastHttpSession and reads the answer as a
connector does: the JSON envelope decides, the HTTP status only says whether to retry.

Importing this module does not import locust (the users that send do).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from exchange.protocol.answers import Answer, read_answer
from exchange.protocol.connector import Connector, WireRequest
from loadtests import call_cpu

if TYPE_CHECKING:
    from locust.contrib.fasthttp import FastHttpSession

__all__ = [
    "DEFAULT_TRANSPORT",
    "TRANSPORTS",
    "Link",
    "Reply",
    "add_link_arguments",
    "exchange",
    "exchange_read",
    "failure_text",
    "link_from",
    "reply_of",
]

Transport = Literal["keep-alive", "sdk"]
TRANSPORTS: tuple[Transport, ...] = ("keep-alive", "sdk")
DEFAULT_TRANSPORT: Transport = "keep-alive"  # a load tester measures the hub, not TCP set-up
EXCERPT = 200
UNUSABLE = "unusable_answer"  # an OK answer whose content a connector cannot read
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Link:
    prefix: str = ""  # the connector's endpoint path: "" (host root) or e.g. "/vxp"
    transport: Transport = DEFAULT_TRANSPORT
    sdk_like: bool = False  # connectors keep every parameter an earlier call set

    def connector(self, system_id: str, secret: str) -> Connector:
        return Connector(system_id, secret, prefix=self.prefix, sdk_like=self.sdk_like)

    def headers(self, request: WireRequest) -> dict[str, str]:
        headers = request.header_dict()
        if self.transport == "sdk":
            headers["Connection"] = "close"
        return headers

    def arguments(self, flag: str = "--") -> list[str]:
        """The same link as command-line options (`flag` + transport, endpoint-prefix...)."""
        found = [f"{flag}transport", self.transport]
        if self.prefix:
            found += [f"{flag}endpoint-prefix", self.prefix]
        return [*found, f"{flag}sdk-like"] if self.sdk_like else found


def _prefix(text: str) -> str:
    """ "" or "/vxp" for "vxp", "/vxp/", "/vxp"; refuses a URL (the host goes in --host)."""
    stripped = text.strip().strip("/")
    if "://" in stripped or "?" in stripped:
        raise argparse.ArgumentTypeError(f"{text!r} is not a path prefix (e.g. /vxp)")
    return f"/{stripped}" if stripped else ""


def add_link_arguments(parser: Any, flag: str = "--", **extra: Any) -> None:
    """`--transport`, `--endpoint-prefix`, `--sdk-like` (with `flag` for Locust's namespaces);
    `extra` goes to each add_argument (Locust's include_in_web_ui, say)."""
    parser.add_argument(
        f"{flag}transport",
        choices=TRANSPORTS,
        default=DEFAULT_TRANSPORT,
        help="sdk: a new connection per call, as the national SDK (Connection: close); "
        f"keep-alive: connections reused (default: {DEFAULT_TRANSPORT})",
        **extra,
    )
    parser.add_argument(
        f"{flag}endpoint-prefix",
        type=_prefix,
        default="",
        help='the connector\'s endpoint path: "" (the host root, as the national hub; '
        "default) or e.g. /vxp (our hub serves both)",
        **extra,
    )
    parser.add_argument(
        f"{flag}sdk-like",
        action="store_true",
        help="connectors resend every parameter an earlier call set, as the SDK's map does",
        **extra,
    )


def link_from(options: Any, prefix: str = "") -> Link:
    """The link parsed options name (`prefix`: the attributes' prefix, e.g. "replay_")."""
    return Link(
        prefix=_prefix(str(getattr(options, f"{prefix}endpoint_prefix", "") or "")),
        transport=cast(Transport, getattr(options, f"{prefix}transport", DEFAULT_TRANSPORT)),
        sdk_like=bool(getattr(options, f"{prefix}sdk_like", False)),
    )


@dataclass(frozen=True, slots=True)
class Reply:
    """One attempt at a call: the HTTP status (0: no answer at all) and the answer read."""

    status: int
    answer: Answer

    @property
    def ok(self) -> bool:
        return self.answer.ok

    @property
    def retryable(self) -> bool:
        """Transport error or a 5xx: the hub may not have seen it, send it again."""
        return self.status == 0 or self.status >= 500

    @property
    def enveloped(self) -> bool:
        return self.answer.error_code != "unreadable_answer"

    @property
    def code(self) -> str:
        """ "" for a success, else the hub's ErrorCode, else `HTTP nnn` or `connection`."""
        if self.ok:
            return ""
        if self.status == 0:
            return "connection"
        return self.answer.error_code if self.enveloped else f"HTTP {self.status}"


def reply_of(status: int, content: bytes, *, raw: bool = False) -> Reply:
    if status == 0:
        return Reply(0, Answer(False, "connection", "no answer", 0))
    return Reply(status, read_answer(content, status, raw=raw))


def failure_text(reply: Reply) -> str:
    """How a failed call reads in Locust's failures (`loadtests.locust_stats` parses it)."""
    if reply.status == 0:
        return "connection: no answer"
    if reply.enveloped:
        return f"ErrorCode {reply.answer.error_code}: {reply.answer.error_desc[:EXCERPT]}"
    return reply.answer.error_desc[:EXCERPT]  # "HTTP nnn, no VXP envelope: b'...'"


def exchange(http: FastHttpSession, link: Link, request: WireRequest, name: str) -> Reply:
    """Send the request, named `name` in Locust's stats; a refusal is marked as its failure."""
    return exchange_read(http, link, request, name, _nothing)[0]


def exchange_read(
    http: FastHttpSession,
    link: Link,
    request: WireRequest,
    name: str,
    read: Callable[[Answer], T],
) -> tuple[Reply, T | None]:
    """`exchange`, and what `read` makes of a successful answer (None if the call failed);
    an error in `read` (an answer a connector cannot use) is the call's failure."""
    try:
        return _exchange_read(http, link, request, name, read)
    finally:
        call_cpu.settle(name)


def _exchange_read(
    http: FastHttpSession,
    link: Link,
    request: WireRequest,
    name: str,
    read: Callable[[Answer], T],
) -> tuple[Reply, T | None]:
    data: Any = request.body  # bytes go through as sent; the stub says str | dict
    with http.request(
        request.method,
        request.path,
        name=name,
        data=data,
        headers=link.headers(request),
        catch_response=True,
    ) as response:
        raw = request.call == "downloadEdoc"
        reply = reply_of(response.status_code or 0, response.content or b"", raw=raw)
        if not reply.ok:
            response.failure(failure_text(reply))
            return reply, None
        try:
            value = read(reply.answer)
        except Exception as error:  # whatever the answer held, a connector cannot use it
            unusable = Answer(False, UNUSABLE, f"{type(error).__name__}: {error}", reply.status)
            reply = Reply(reply.status, unusable)
            response.failure(failure_text(reply))
            return reply, None
        response.success()
    return reply, value


def _nothing(_answer: Answer) -> None:
    return None
