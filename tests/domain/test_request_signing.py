"""Request signing: the canonical string, and that any change breaks the signature."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from exchange.protocol.auth import canonical_string, sign, signature_matches, signed_headers

ARGS = ("POST", "/vxp/sendEdoc?x=1", "1700000000", "abc123", b"<edXML/>")


def test_signature_is_hmac_sha256_over_the_documented_string() -> None:
    body_digest = hashlib.sha256(b"<edXML/>").hexdigest()
    expected_message = f"POST\n/vxp/sendEdoc?x=1\n1700000000\nabc123\n{body_digest}".encode()
    assert canonical_string(*ARGS) == expected_message
    expected = hmac.new(b"s3cret", expected_message, hashlib.sha256).hexdigest()
    assert sign("s3cret", *ARGS) == expected


@pytest.mark.parametrize("position", range(5))
def test_changing_any_signed_part_breaks_the_signature(position: int) -> None:
    signature = sign("s3cret", *ARGS)
    changed = list(ARGS)
    changed[position] = b"<edXML />" if position == 4 else f"{changed[position]}x"
    assert not signature_matches("s3cret", signature, *changed)  # type: ignore[arg-type]
    assert signature_matches("s3cret", signature, *ARGS)


def test_signed_headers_carry_a_fresh_nonce_each_time() -> None:
    first = signed_headers("sys", "k", "GET", "/vxp/getAgenciesList", b"", now=1.0)
    second = signed_headers("sys", "k", "GET", "/vxp/getAgenciesList", b"", now=1.0)
    assert first["X-Nonce"] != second["X-Nonce"]
    assert first["X-Timestamp"] == "1"
    assert len(first["X-Nonce"]) <= 64
