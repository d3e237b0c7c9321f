"""The national hub's (VXP) request envelope, as its SDK writes it: pure functions, no I/O.

Every parameter `k` of a call travels as a header `XroadVnpt-k`; `XroadVnpt-sign-header` is
the compact JSON object of those headers, `XroadVnpt-hash-header` the hex HMAC-SHA256 of that
JSON's bytes under the system's secret, and sendEdoc binds its body through the signed key
`hash-file` (SHA-256, each byte as unpadded hex). The `strict` profile signs two more keys:
`nonce` (used once) and `body-hash` (the padded hex SHA-256 of the whole body, every call),
and its timestamp must be fresh. See ../shared/vxp/README.md and the README's protocol part.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

__all__ = [
    "BODY_HASH",
    "HASH_FILE",
    "HASH_HEADER",
    "NONCE",
    "PREFIX",
    "SIGN_HEADER",
    "SIGN_HEADER_KEY",
    "USER_AGENT",
    "VERSION",
    "VIETNAM",
    "body_hash",
    "format_timestamp",
    "hash_file",
    "hash_header",
    "parse_timestamp",
    "sign_header",
    "signature_matches",
    "unpadded_hex",
]

PREFIX = "XroadVnpt-"
SIGN_HEADER = PREFIX + "sign-header"
SIGN_HEADER_KEY = PREFIX + "sign-header-key"
HASH_HEADER = PREFIX + "hash-header"
VERSION = "3.0.201608"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
HASH_FILE = "hash-file"
NONCE = "nonce"  # strict profile
BODY_HASH = "body-hash"  # strict profile
VIETNAM = timezone(timedelta(hours=7), "ICT")  # the timestamp's local time (no DST)


def format_timestamp(moment: datetime) -> str:
    """`ddMMyyyy'T'HHmmss+SSSS`: Vietnam's local time, milliseconds padded to four digits."""
    local = moment.astimezone(VIETNAM) if moment.tzinfo else moment
    return f"{local:%d%m%Y}T{local:%H%M%S}+{local.microsecond // 1000:04d}"


def parse_timestamp(text: str) -> datetime:
    """The moment a timestamp names, read as Vietnam's local time; ValueError if malformed."""
    if len(text) != 20 or text[8] != "T" or text[15] != "+" or not text[16:].isdigit():
        raise ValueError(f"{text!r} is not ddMMyyyyTHHmmss+SSSS")
    second = datetime.strptime(text[:15], "%d%m%YT%H%M%S")
    return second.replace(microsecond=int(text[16:]) % 1000 * 1000, tzinfo=VIETNAM)


def sign_header(params: Iterable[tuple[str, str]]) -> str:
    """The compact JSON of the prefixed parameters, in order (ASCII: other text \\u-escaped)."""
    return json.dumps({PREFIX + key: value for key, value in params}, separators=(",", ":"))


def hash_header(secret: str, signed: bytes | str) -> str:
    """Lower-case hex HMAC-SHA256 of the sign-header's exact bytes."""
    data = signed.encode() if isinstance(signed, str) else signed
    return hmac.digest(secret.encode(), data, "sha256").hex()


def signature_matches(secret: str, signed: bytes, claimed: str) -> bool:
    return hmac.compare_digest(hash_header(secret, signed), claimed.strip().lower())


def hash_file(content: bytes) -> str:
    """The SDK's `hash-file`: SHA-256 with every byte as hex without zero padding."""
    return unpadded_hex(hashlib.sha256(content).digest())


def unpadded_hex(digest: bytes) -> str:
    return "".join(f"{byte:x}" for byte in digest)


def body_hash(body: bytes) -> str:
    """The strict profile's `body-hash`: the padded hex SHA-256 of the body as sent."""
    return hashlib.sha256(body).hexdigest()
