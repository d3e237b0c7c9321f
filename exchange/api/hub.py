"""The running hub's parts, built once per app: engine, batch writer, directory, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from fastapi import Request

from exchange.db.engine import make_engine
from exchange.db.store import Store
from exchange.db.writer import make_writer, run_once
from exchange.domain.errors import AuthSystemUnknown, BodyTooLarge, ExchangeError
from exchange.domain.messages import Message
from exchange.protocol.verification import MessageVerification, verify_message
from exchange.services.auth import RequestProof, nonce_claim, verify_signature
from exchange.services.directory import DirectoryCache, load_directory
from exchange.services.signature_policy import SignaturePolicy
from exchange.services.trust import TrustProvider
from exchange.settings import Settings

__all__ = ["Caller", "Hub"]

T = TypeVar("T")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request: the system, its proof and the body it signed."""

    system_id: str
    proof: RequestProof
    body: bytes


class Hub:
    def __init__(self, settings: Settings, clock: Callable[[], datetime] = _utcnow) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = make_engine(settings.database_url)
        self.writer = make_writer(self.engine, max_batch=settings.batch_max, clock=clock)
        self.directory = DirectoryCache(lambda: run_once(self.engine, load_directory, clock))
        self.policy = SignaturePolicy(settings.signature_policy)
        self.trust = TrustProvider(settings.pki_path / "public")

    def start(self) -> None:
        self.writer.start()

    def stop(self) -> None:
        self.writer.stop()
        self.engine.dispose()

    async def authenticate(self, request: Request) -> Caller:
        body = await read_body(request, self.settings.max_body_bytes)
        proof = RequestProof.from_headers(request.headers)
        signed = (request.method, raw_path(request), body)
        window = self.settings.auth_window_seconds
        try:
            system = verify_signature(self.directory.current, proof, signed, self.clock(), window)
        except AuthSystemUnknown:
            if not self.directory.refresh_on_miss():
                raise
            system = verify_signature(self.directory.current, proof, signed, self.clock(), window)
        return Caller(system, proof, body)

    async def run(self, caller: Caller, work: Callable[[Store], T]) -> T:
        """The work, and the claim of the request's nonce, in the next group commit."""
        window = self.settings.auth_window_seconds
        claim = nonce_claim(caller.proof, self.clock(), window)
        return await self.writer.run(work, claim)

    def verify(self, body: bytes, message: Message) -> MessageVerification | None:
        """The signatures' verification on arrival, unless the policy is `off`."""
        if self.policy is SignaturePolicy.OFF:
            return None
        return verify_message(body, message, self.trust.current(), self.clock())

    async def audit_refusal(self, request: Request, error: ExchangeError) -> None:
        claimed = request.headers.get("x-system-id")
        detail = {"action": request.url.path, "code": error.code, "reason": error.message}

        def unit(store: Store) -> None:
            store.record("refused", claimed, None, **detail)

        await self.writer.run(unit)


def raw_path(request: Request) -> str:
    """The path and query string exactly as the client sent them (what was signed)."""
    path = bytes(request.scope.get("raw_path") or request.url.path.encode())
    query = bytes(request.scope.get("query_string") or b"")
    return (path + (b"?" + query if query else b"")).decode("latin-1")


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is known to exceed `limit` (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"The body ({declared} bytes) exceeds the limit of {limit} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"The body exceeds the limit of {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
