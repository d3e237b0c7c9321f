"""Authenticate a national-protocol request from its headers, before its body is read.

`national` (the default) accepts exactly what the SDK sends: the HMAC of the sign-header
under the system's secret, parameters read from the signed JSON only, sendEdoc's body bound
by `hash-file`. `strict` also requires a fresh timestamp, a nonce never seen before (claimed
in the request's own transaction, so across worker processes) and `body-hash` on every call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from exchange.db.repos.nonces import NonceClaim
from exchange.domain.errors import (
    AuthBodyMismatch,
    AuthExpired,
    AuthHeaderDuplicated,
    AuthHeaderMismatch,
    AuthMissing,
    AuthSignatureInvalid,
    AuthSystemUnknown,
    ParameterInvalid,
)
from exchange.protocol import wire
from exchange.services.directory import Directory

__all__ = [
    "AuthProfile",
    "SignedRequest",
    "authenticate",
    "check_body",
    "edxml_file",
    "nonce_claim",
]

AuthProfile = Literal["national", "strict"]
MAX_NONCE_LENGTH = 64
_PREFIX = wire.PREFIX.lower()
_ENVELOPE = {wire.SIGN_HEADER.lower(), wire.HASH_HEADER.lower(), wire.SIGN_HEADER_KEY.lower()}


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """An authenticated request's system and the parameters it signed (names lower-cased)."""

    system_id: str
    params: Mapping[str, str]
    profile: AuthProfile

    def param(self, name: str) -> str:
        return self.params.get(name.lower(), "")


def authenticate(
    raw_headers: Iterable[tuple[bytes, bytes]],
    directory: Directory,
    *,
    profile: AuthProfile,
    now: datetime,
    window: int,
) -> SignedRequest:
    """The signed request, or an `AuthError` naming what failed (headers only)."""
    headers = _prefixed_headers(raw_headers)
    signed = headers.get(wire.SIGN_HEADER.lower())
    claimed = headers.get(wire.HASH_HEADER.lower())
    if not signed or not claimed:
        raise AuthMissing("The request lacks XroadVnpt-sign-header or XroadVnpt-hash-header.")
    params = _signed_params(signed)
    system_id = params.get("systemid", "")
    secret = directory.secrets.get(system_id)
    if secret is None:
        raise AuthSystemUnknown(f"System {system_id[:64]!r} is not registered with the hub.")
    if not wire.signature_matches(secret, signed, claimed.decode("latin-1")):
        raise AuthSignatureInvalid(
            "XroadVnpt-hash-header is not the HMAC of XroadVnpt-sign-header under the system's"
            " secret (header values must be ASCII: the SDK sends one byte per character)."
        )
    _check_copies(headers, params)
    if profile == "strict":
        _check_fresh(params, now, window)
    return SignedRequest(system_id, params, profile)


def _prefixed_headers(raw_headers: Iterable[tuple[bytes, bytes]]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for name, value in raw_headers:
        key = name.decode("latin-1").lower()
        if not key.startswith(_PREFIX):
            continue
        if key in found:
            raise AuthHeaderDuplicated(f"The header {name.decode('latin-1')} is sent twice.")
        found[key] = value
    return found


def _signed_params(signed: bytes) -> dict[str, str]:
    """The sign-header's parameters by lower-case name; the same name twice must agree."""
    try:
        document = json.loads(signed.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise AuthMissing("XroadVnpt-sign-header is not a JSON object.") from None
    if not isinstance(document, dict):
        raise AuthMissing("XroadVnpt-sign-header is not a JSON object.")
    params: dict[str, str] = {}
    for key, value in document.items():
        if not key.lower().startswith(_PREFIX) or not isinstance(value, str | int | float):
            raise AuthMissing("XroadVnpt-sign-header holds a key that is not a parameter.")
        name, text = key[len(_PREFIX) :].lower(), str(value)
        if params.setdefault(name, text) != text:
            raise ParameterInvalid(f"The signed parameter {name!r} has two different values.")
    return params


def _check_copies(headers: Mapping[str, bytes], params: Mapping[str, str]) -> None:
    """Each parameter header, and the key list, must say what the signed JSON says."""
    for key, value in headers.items():
        name = key[len(_PREFIX) :]
        if key in _ENVELOPE or name not in params:
            continue
        if value.decode("utf-8", "replace") != params[name]:
            raise AuthHeaderMismatch(
                f"The header {wire.PREFIX}{name} differs from its signed value."
            )
    listed = headers.get(wire.SIGN_HEADER_KEY.lower())
    if listed is not None:
        names = [n.lower() for n in listed.decode("latin-1").split(";") if n]
        if sorted(names) != sorted(params):
            raise AuthHeaderMismatch("XroadVnpt-sign-header-key does not list the signed keys.")


def _check_fresh(params: Mapping[str, str], now: datetime, window: int) -> None:
    try:
        moment = wire.parse_timestamp(params.get("timestamp", ""))
    except ValueError:
        raise AuthMissing(
            "The strict profile needs a signed timestamp (ddMMyyyyTHHmmss+SSSS)."
        ) from None
    if abs((now - moment).total_seconds()) > window:
        raise AuthExpired(f"The timestamp is more than {window} s away from the hub's clock.")
    nonce = params.get(wire.NONCE, "")
    if not nonce or len(nonce) > MAX_NONCE_LENGTH:
        raise AuthMissing(
            f"The strict profile needs a signed nonce of 1-{MAX_NONCE_LENGTH} characters."
        )
    if not params.get(wire.BODY_HASH):
        raise AuthMissing("The strict profile needs a signed body-hash.")


def check_body(signed: SignedRequest, call: str, body: bytes) -> str:
    """sendEdoc's `hash-file` (both profiles) and strict's `body-hash` against the body;
    for sendEdoc, the hex SHA-256 of the edXML file (the body without its trailing CRLF)."""
    if signed.profile == "strict" and wire.body_hash(body) != signed.param(wire.BODY_HASH).lower():
        raise AuthBodyMismatch("The body is not the one the signed body-hash names.")
    if call != "sendEdoc":
        return ""
    claimed = signed.param(wire.HASH_FILE).lower()
    if not claimed:
        raise AuthMissing("sendEdoc must sign hash-file, the SHA-256 of the edXML file.")
    digest = hashlib.sha256(edxml_file(body)).digest()
    if wire.unpadded_hex(digest) != claimed:
        raise AuthBodyMismatch("The edXML is not the file the signed hash-file names.")
    return digest.hex()


def edxml_file(body: bytes) -> bytes:
    """sendEdoc's file: the body without the CRLF the SDK adds."""
    return body[:-2] if body.endswith(b"\r\n") else body


def nonce_claim(signed: SignedRequest, now: datetime, window: int) -> NonceClaim | None:
    """What the writer stores for a strict request; kept past the window its timestamp has."""
    if signed.profile != "strict":
        return None
    return NonceClaim(
        signed.system_id, signed.param(wire.NONCE), now + timedelta(seconds=2 * window)
    )
