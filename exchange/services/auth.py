"""Authenticate a request: known system, fresh timestamp, right signature, unused nonce."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from exchange.db.repos.nonces import NonceClaim
from exchange.domain.errors import (
    AuthExpired,
    AuthMissing,
    AuthSignatureInvalid,
    AuthSystemUnknown,
)
from exchange.protocol.auth import MAX_NONCE_LENGTH, signature_matches
from exchange.services.directory import Directory

__all__ = ["RequestProof", "nonce_claim", "verify_signature"]


HEADERS = ("X-System-Id", "X-Timestamp", "X-Nonce", "X-Signature")


@dataclass(frozen=True, slots=True)
class RequestProof:
    """The four authentication headers of one request."""

    system_id: str
    timestamp: str
    nonce: str
    signature: str

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RequestProof:
        """From the request's headers (names in lower case, as ASGI gives them)."""
        values = {name: headers.get(name.lower(), "") for name in HEADERS}
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise AuthMissing(f"The request lacks the header(s) {', '.join(missing)}.")
        proof = cls(*values.values())
        if len(proof.nonce) > MAX_NONCE_LENGTH:
            raise AuthMissing(f"X-Nonce is longer than {MAX_NONCE_LENGTH} characters.")
        if not proof.timestamp.isdigit():
            raise AuthMissing("X-Timestamp must be unix seconds.")
        return proof


def verify_signature(
    directory: Directory,
    proof: RequestProof,
    request: tuple[str, str, bytes],
    now: datetime,
    window: int,
) -> str:
    """The authenticated system id; raises an `AuthError` naming what failed."""
    method, path, body = request
    secret = directory.secrets.get(proof.system_id)
    if secret is None:
        raise AuthSystemUnknown(f"System {proof.system_id!r} is not registered with the hub.")
    if abs(now.timestamp() - int(proof.timestamp)) > window:
        raise AuthExpired(f"X-Timestamp is more than {window} s away from the hub's clock.")
    if not signature_matches(
        secret, proof.signature, method, path, proof.timestamp, proof.nonce, body
    ):
        raise AuthSignatureInvalid("X-Signature does not match the request.")
    return proof.system_id


def nonce_claim(proof: RequestProof, now: datetime, window: int) -> NonceClaim:
    """What the writer stores for the request; kept past the window the timestamp allows."""
    return NonceClaim(proof.system_id, proof.nonce, now + timedelta(seconds=2 * window))
