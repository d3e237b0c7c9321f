"""Request authentication: HMAC-SHA256 over method, path, timestamp, nonce and body digest.

X-Signature = hex HMAC-SHA256(secret, METHOD "\n" path "\n" X-Timestamp "\n" X-Nonce "\n"
hex SHA-256(body)), where path includes the query string exactly as sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = [
    "MAX_NONCE_LENGTH",
    "WINDOW_SECONDS",
    "canonical_string",
    "sign",
    "signature_matches",
    "signed_headers",
]

WINDOW_SECONDS = 300
MAX_NONCE_LENGTH = 64


def canonical_string(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join((method.upper(), path, timestamp, nonce, digest)).encode()


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = canonical_string(method, path, timestamp, nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(
    secret: str, signature: str, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> bool:
    expected = sign(secret, method, path, timestamp, nonce, body)
    return hmac.compare_digest(expected, signature.lower())


def signed_headers(
    system_id: str, secret: str, method: str, path: str, body: bytes, *, now: float
) -> dict[str, str]:
    """The four headers a connector sends with each request."""
    timestamp = str(int(now))
    nonce = secrets.token_hex(16)
    return {
        "X-System-Id": system_id,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": sign(secret, method, path, timestamp, nonce, body),
    }
