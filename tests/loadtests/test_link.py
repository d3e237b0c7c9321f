"""How the load tester reaches a hub, minus Locust: the link's options, the requests its
connectors sign, how an answer is judged, and how a failure reads in Locust's failures."""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from exchange.protocol import wire
from exchange.protocol.answers import Answer
from loadtests.link import (
    Link,
    Reply,
    add_link_arguments,
    exchange,
    exchange_read,
    failure_text,
    link_from,
    reply_of,
)
from loadtests.locust_stats import Failure, refusal_codes
from loadtests.replay.hub import check_host

OK = b'{"status": "OK", "ErrorCode": "0", "ErrorDesc": "", "DocId": "5e4d0000-0000"}'
REFUSED = b'{"status": "FAIL", "ErrorCode": "document_not_found", "ErrorDesc": "No such doc."}'


def _parsed(argv: list[str], flag: str = "--") -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_link_arguments(parser, flag)
    return parser.parse_args(argv)


def test_the_default_link_is_the_host_root_over_kept_alive_connections() -> None:
    link = link_from(_parsed([]))
    assert link == Link("", "keep-alive", sdk_like=False)
    assert link.arguments() == ["--transport", "keep-alive"]


@pytest.mark.parametrize("flag", ["--", "--replay-"])
def test_a_link_survives_its_own_command_line(flag: str) -> None:
    link = Link("/vxp", "sdk", sdk_like=True)
    attributes = flag.removeprefix("--").replace("-", "_")
    assert link_from(_parsed(link.arguments(flag), flag), attributes) == link


@pytest.mark.parametrize("given", ["vxp", "/vxp", "/vxp/", " vxp/ "])
def test_the_prefix_is_one_leading_slash_and_no_trailing_one(given: str) -> None:
    assert link_from(_parsed(["--endpoint-prefix", given])).prefix == "/vxp"


def test_a_url_is_not_a_prefix() -> None:
    with pytest.raises(SystemExit):
        _parsed(["--endpoint-prefix", "http://hub/vxp"])


def test_the_connectors_sign_their_calls_under_the_prefix() -> None:
    request = Link("/vxp").connector("sys.test.01", "test-secret-Ab12").update_status("d-1")
    headers = Link("/vxp").headers(request)
    assert (request.method, request.path) == ("POST", "/vxp/updateStatus")
    signed = headers[wire.SIGN_HEADER]
    assert wire.signature_matches("test-secret-Ab12", signed.encode(), headers[wire.HASH_HEADER])
    assert json.loads(signed)["XroadVnpt-docId"] == "d-1"
    assert "Connection" not in headers


def test_the_sdk_transport_asks_for_a_new_connection_per_call() -> None:
    request = Link().connector("s", "k").get_agencies_list()
    assert Link(transport="sdk").headers(request)["Connection"] == "close"


def test_an_sdk_like_connector_resends_what_an_earlier_call_set() -> None:
    connector = Link(sdk_like=True).connector("s", "k")
    connector.get_edoc("d-1")
    keys = connector.update_status("d-1").header_dict()[wire.SIGN_HEADER_KEY].split(";")
    assert "filePath" in keys
    assert "filePath" not in Link().connector("s", "k").update_status("d-1").header_dict()[
        wire.SIGN_HEADER_KEY
    ].split(";")


def test_the_envelope_decides_and_the_status_only_says_whether_to_retry() -> None:
    ok = reply_of(201, OK)
    assert ok.ok and ok.code == "" and not ok.retryable and ok.answer["DocId"] == "5e4d0000-0000"
    refused = reply_of(200, REFUSED)  # a hub may refuse with 200: the body says FAIL
    assert not refused.ok and refused.code == "document_not_found" and not refused.retryable
    assert reply_of(404, REFUSED).code == "document_not_found"


def test_no_answer_or_an_answer_without_the_envelope_is_retried() -> None:
    gone = reply_of(0, b"")
    assert (gone.code, gone.retryable) == ("connection", True)
    proxy = reply_of(502, b"<html>Bad Gateway</html>")
    assert (proxy.code, proxy.retryable, proxy.ok) == ("HTTP 502", True, False)
    assert reply_of(503, REFUSED).retryable


def test_download_edoc_succeeds_with_the_raw_file() -> None:
    assert reply_of(200, b"<edXML/>", raw=True).answer.edxml == b"<edXML/>"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (reply_of(422, REFUSED), "document_not_found"),
        (reply_of(502, b"Bad Gateway"), "HTTP 502"),
        (reply_of(0, b""), "connection"),
    ],
)
def test_a_failure_reads_back_as_its_reason(reply: Reply, reason: str) -> None:
    recorded = f"CatchResponseError({failure_text(reply)!r})"  # as Locust writes it
    assert refusal_codes([Failure("POST", "sendEdoc edoc", recorded, 3)], "sendEdoc edoc") == {
        reason: 3
    }


@dataclass
class _Response:
    status_code: int
    content: bytes
    verdicts: list[str] = field(default_factory=list)

    def failure(self, text: str) -> None:
        self.verdicts.append(f"failure: {text}")

    def success(self) -> None:
        self.verdicts.append("success")


@dataclass
class _Session:
    """Enough of Locust's FastHttpSession: records what was sent, answers as told."""

    answer: _Response
    sent: list[dict[str, Any]] = field(default_factory=list)

    @contextmanager
    def request(self, method: str, path: str, **kwargs: Any) -> Iterator[_Response]:
        self.sent.append({"method": method, "path": path, **kwargs})
        yield self.answer


def test_an_exchange_sends_the_signed_request_and_marks_a_refusal() -> None:
    session = _Session(_Response(200, REFUSED))
    request = Link().connector("s", "k").get_edoc("d-1")
    reply = exchange(session, Link(transport="sdk"), request, "getEdoc edoc")  # type: ignore[arg-type]
    sent = session.sent[0]
    assert (sent["method"], sent["path"], sent["name"], sent["data"]) == (
        "POST",
        "/getEdoc",
        "getEdoc edoc",
        b"{}",
    )
    assert sent["headers"]["Connection"] == "close" and sent["catch_response"]
    assert reply.code == "document_not_found"
    assert session.answer.verdicts == ["failure: ErrorCode document_not_found: No such doc."]


def test_an_answer_a_connector_cannot_use_is_the_calls_failure() -> None:
    bad = b'{"status": "OK", "ErrorCode": "0", "ErrorDesc": "", "data": "not base64!"}'
    session = _Session(_Response(200, bad))
    request = Link().connector("s", "k").get_edoc("d-1")

    def read(answer: Answer) -> bytes:
        return answer.edxml

    reply, value = exchange_read(session, Link(), request, "getEdoc edoc", read)  # type: ignore[arg-type]
    assert value is None and not reply.ok and reply.code == "unusable_answer"
    assert session.answer.verdicts[0].startswith("failure: ErrorCode unusable_answer:")
    good = _Session(_Response(200, OK))
    reply, doc_id = exchange_read(good, Link(), request, "x", lambda a: str(a["DocId"]))  # type: ignore[arg-type]
    assert reply.ok and doc_id == "5e4d0000-0000" and good.answer.verdicts == ["success"]


@pytest.mark.parametrize(("status", "problem"), [(200, False), (404, False), (503, True)])
def test_a_host_without_our_health_page_is_still_a_hub(status: int, problem: bool) -> None:
    """The national hub has no /healthz: a 404 there is not a reason to stop."""

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        found = check_host(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert (found is not None) is problem, found
