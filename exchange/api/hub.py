"""The running hub's parts, built once per app: engine, batch writer, directory, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from fastapi import Request

from exchange.api import cpu_meter
from exchange.db.anchors import AnchorLog
from exchange.db.engine import make_engine
from exchange.db.store import Store
from exchange.db.writer import make_writer, run_once
from exchange.domain.audit import AuditEntry
from exchange.domain.errors import AuthSystemUnknown, BodyTooLarge, ExchangeError
from exchange.domain.messages import Message
from exchange.protocol.verification import MessageVerification, verify_message
from exchange.services.auth import SignedRequest, authenticate, check_body, nonce_claim
from exchange.services.directory import DirectoryCache, load_directory
from exchange.services.recent_sends import RecentSends
from exchange.services.signature_policy import SignaturePolicy
from exchange.services.trust import TrustProvider
from exchange.settings import Settings

__all__ = ["Caller", "Hub"]

T = TypeVar("T")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request: the parameters it signed and the body they bind."""

    signed: SignedRequest
    body: bytes
    file_sha256: str = ""  # sendEdoc: hex SHA-256 of the edXML file

    @property
    def system_id(self) -> str:
        return self.signed.system_id

    def param(self, name: str) -> str:
        return self.signed.param(name)


class Hub:
    def __init__(self, settings: Settings, clock: Callable[[], datetime] = _utcnow) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = make_engine(settings.database_url)
        self.writer = make_writer(
            self.engine,
            max_batch=settings.batch_max,
            clock=clock,
            anchors=AnchorLog(
                settings.anchor_path,
                every_records=settings.audit_anchor_records,
                every_seconds=settings.audit_anchor_seconds,
                clock=clock,
            ),
            repeat_window=timedelta(seconds=settings.audit_repeat_seconds),
        )
        self.directory = DirectoryCache(lambda: run_once(self.engine, load_directory, clock))
        self.policy = SignaturePolicy(settings.signature_policy)
        self.trust = TrustProvider(settings.pki_path / "public")
        self.recent_sends = RecentSends()

    def start(self) -> None:
        self.writer.start()

    def stop(self) -> None:
        self.writer.stop()
        self.engine.dispose()

    async def authenticate(self, request: Request, call: str) -> Caller:
        """Headers first (an unknown system's body is never read), then the body they bind."""
        signed = self._signed(request)
        body = await read_body(request, self.settings.max_body_bytes)
        return Caller(signed, body, check_body(signed, call, body))

    def _signed(self, request: Request) -> SignedRequest:
        def attempt() -> SignedRequest:
            return authenticate(
                request.scope["headers"],
                self.directory.current,
                profile=self.settings.auth_profile,
                now=self.clock(),
                window=self.settings.auth_window_seconds,
            )

        try:
            return attempt()
        except AuthSystemUnknown:
            if not self.directory.refresh_on_miss():
                raise
            return attempt()

    async def run(self, caller: Caller, work: Callable[[Store], T]) -> T:
        """The work (and, strict profile, the claim of the request's nonce) in one commit."""
        claim = nonce_claim(caller.signed, self.clock(), self.settings.auth_window_seconds)
        return await self.writer.run(cpu_meter.timed(work), claim)

    async def claim(self, caller: Caller) -> None:
        """For an answer that needs no database: the strict profile's nonce still lands."""
        if caller.signed.profile == "strict":
            await self.run(caller, lambda store: None)

    def verify(self, body: bytes, message: Message) -> MessageVerification | None:
        """The signatures' verification on arrival, unless the policy is `off`."""
        if self.policy is SignaturePolicy.OFF:
            return None
        return verify_message(body, message, self.trust.current(), self.clock())

    async def audit_refusal(self, request: Request, error: ExchangeError) -> None:
        """Every refusal is audited, each field bounded: what a client claims is not trusted.
        A flood costs a counter: identical refusals (claimed system, code, path) within
        EXCHANGE_AUDIT_REPEAT_SECONDS are one record, then one carrying their `count`."""
        claimed = request.headers.get("xroadvnpt-systemid", "")[:64] or None
        detail = {
            "action": request.url.path[:100],
            "code": error.code[:64],
            "reason": error.message[:300],
        }
        entry = AuditEntry("refused", self.clock(), claimed, None, detail)
        await self.writer.record_coalesced((claimed, detail["code"], detail["action"]), entry)


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
