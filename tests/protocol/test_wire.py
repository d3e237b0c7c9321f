"""The national protocol's envelope: known answers from ../shared/vxp, and the SDK's habits."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exchange.protocol import wire
from exchange.protocol.answers import read_answer
from exchange.protocol.connector import CALLS, Connector

SHARED = Path(__file__).resolve().parents[3] / "shared" / "vxp"
CHECK_HEADER = (
    '{"XroadVnpt-systemid":"sys.test.01","XroadVnpt-docId":"8af226c8-7cde-4fbe-88fe-e15a768b49cb",'
    '"XroadVnpt-timestamp":"03122026T142911+0808","XroadVnpt-Content-Type":"application/json",'
    '"XroadVnpt-status":"done"}'
)


def test_the_readmes_check_value() -> None:
    expected = "95b251c72337432b07ebcac80f09efa93dba18e1acdf0a99df3c4e5b743472b7"
    assert wire.hash_header("test-secret-Ab12", CHECK_HEADER) == expected
    assert wire.signature_matches("test-secret-Ab12", CHECK_HEADER.encode(), expected.upper())
    assert not wire.signature_matches("test-secret-Ab13", CHECK_HEADER.encode(), expected)


def _captured() -> list[dict[str, object]]:
    return [json.loads(line) for line in (SHARED / "sdk-requests.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("index", range(20))
def test_every_captured_request_verifies_under_the_captured_secret(index: int) -> None:
    headers = dict(_captured()[index]["headers"])  # type: ignore[arg-type]
    signed = headers[wire.SIGN_HEADER].encode()
    assert wire.signature_matches("test-secret-Ab12", signed, headers[wire.HASH_HEADER])


def test_hash_file_is_unpadded_hex_as_the_sdk_writes_it() -> None:
    [send] = [r for r in _captured() if r["call"] == "sendEdoc"][2:3]
    import base64

    body = base64.b64decode(str(send["body_base64"]))
    assert body.endswith(b"\r\n")
    claimed = json.loads(dict(send["headers"])[wire.SIGN_HEADER])["XroadVnpt-hash-file"]  # type: ignore[arg-type]
    assert wire.hash_file(body[:-2]) == claimed
    digest = hashlib.sha256(b"\x00").digest()
    assert wire.hash_file(b"\x00") == "".join(format(b, "x") for b in digest)


def test_the_timestamp_is_local_time_with_four_digit_milliseconds() -> None:
    moment = datetime(2026, 12, 3, 7, 22, 9, 19_000, tzinfo=UTC)
    assert wire.format_timestamp(moment) == "03122026T142209+0019"
    assert wire.parse_timestamp("03122026T142209+0019") == moment
    for bad in ("", "03122026T142209", "3122026T142209+0019", "03122026T142209+00x9"):
        with pytest.raises(ValueError):
            wire.parse_timestamp(bad)


def test_a_connector_signs_what_it_sends_and_keeps_its_timestamp() -> None:
    connector = Connector("sys", "k")
    first, second = connector.get_edoc("a"), connector.update_status("a", "done")
    for request in (first, second):
        headers = request.header_dict()
        assert wire.signature_matches(
            "k", headers[wire.SIGN_HEADER].encode(), headers[wire.HASH_HEADER]
        )
        signed = json.loads(headers[wire.SIGN_HEADER])
        assert all(headers[name] == value for name, value in signed.items())
        assert headers[wire.SIGN_HEADER_KEY].split(";") == [k[10:] for k in signed]
    assert first.header_dict()["XroadVnpt-timestamp"] == second.header_dict()["XroadVnpt-timestamp"]
    assert "XroadVnpt-filePath" not in second.header_dict()  # no leftovers unless asked


def test_sdk_like_keeps_leftover_keys_and_strict_adds_nonce_and_body_hash() -> None:
    sdk = Connector("sys", "k", sdk_like=True)
    sdk.get_received_edoc_list("edoc")
    leftovers = sdk.update_status("a").header_dict()
    assert leftovers["XroadVnpt-messagetype"] == "edoc" and leftovers["XroadVnpt-status"] == "done"

    strict = Connector("sys", "k", profile="strict")
    one, two = strict.get_agencies_list(), strict.get_agencies_list()
    nonces = {r.header_dict()["XroadVnpt-nonce"] for r in (one, two)}
    assert len(nonces) == 2
    assert one.header_dict()["XroadVnpt-body-hash"] == hashlib.sha256(b"").hexdigest()


def test_every_call_has_the_sdks_method_and_path() -> None:
    connector = Connector("sys", "k", prefix="/vxp/")
    assert connector.download_edoc("a").method == "GET"
    assert connector.send_edoc(b"<x/>", sender="A").body == b"<x/>\r\n"
    assert connector.get_agencies_list().path == "/vxp/getAgenciesList"
    assert len(CALLS) == 13


@pytest.mark.parametrize(
    ("body", "ok", "code"),
    [
        (b'{"status":"OK","ErrorCode":"0","ErrorDesc":""}', True, "0"),
        (
            b'{"status":"FAIL","ErrorCode":"document_not_found","ErrorDesc":"x"}',
            False,
            "document_not_found",
        ),
        (b'{"status":"OK","ErrorCode":"00","ErrorDesc":""}', False, "00"),
        (b"<html>502</html>", False, "unreadable_answer"),
        (b'{"code":"x"}', False, "unreadable_answer"),
    ],
)
def test_the_answer_is_judged_by_its_envelope(body: bytes, ok: bool, code: str) -> None:
    answer = read_answer(body, 200)
    assert (answer.ok, answer.error_code) == (ok, code)
