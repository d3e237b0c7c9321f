"""The simulated CA's public face, a plain ASGI application (no web framework):

    GET  /root.crl, /intermediate.crl     the current CRLs (DER, application/pkix-crl)
    GET  /root.cer, /intermediate.cer     the CA certificates (DER, application/pkix-cert)
    GET  /tsa.cer                         the time-stamping authority's certificate
    POST /ocsp   (or GET /ocsp/<base64>)  the OCSP responder (RFC 6960 and its appendix A)
    POST /tsa                             the time-stamping authority (RFC 3161 over HTTP)

These are the addresses every certificate names (see `profiles.Publication`). `eoffice serve`
mounts it at /pki on the hub's application; it reads only the PKI's folder, never the hub's
database, and re-opens the PKI when its index changes (`eoffice pki revoke` in another
process is seen at the next request). Anything else is a 404, a wrong method a 405, a body
over 64 KiB a 413: never a 5xx for a bad request.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cryptography.hazmat.primitives.serialization import Encoding

from signing.errors import PkiError
from signing.pki import Pki
from signing.tsa import answer_request

__all__ = ["PkiService", "pki_service"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    content_type: str
    body: bytes


def _text(status: int, message: str) -> _Answer:
    return _Answer(status, "text/plain; charset=utf-8", message.encode() + b"\n")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PkiService:
    def __init__(self, directory: Path, clock: Callable[[], datetime] = _utc_now) -> None:
        self.directory = directory
        self.clock = clock
        self._pki: Pki | None = None
        self._stamp: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _body(receive)
        answer = _text(413, "Request too large.") if body is None else self.answer(scope, body)
        headers = [
            (b"content-type", answer.content_type.encode()),
            (b"content-length", str(len(answer.body)).encode()),
            (b"cache-control", b"no-cache"),
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    def answer(self, scope: Scope, body: bytes) -> _Answer:
        path, method = _sub_path(scope), scope["method"]
        pki = self._current()
        if pki is None:
            return _text(404, "No PKI has been initialised here.")
        if path == "/ocsp" and method == "POST":
            return _Answer(200, "application/ocsp-response", pki.ocsp(body, self.clock()))
        if path.startswith("/ocsp/") and method == "GET":
            return self._ocsp_get(pki, path.removeprefix("/ocsp/"))
        if path == "/tsa" and method == "POST":
            reply = answer_request(pki.time_stamping(self.clock), body)
            return _Answer(200, "application/timestamp-reply", reply)
        return self._published(pki, path, method)

    def _published(self, pki: Pki, path: str, method: str) -> _Answer:
        name, _, suffix = path.lstrip("/").partition(".")
        certificates = {"root": pki.root, "intermediate": pki.intermediate}
        if (name, suffix) == ("tsa", "cer"):
            certificates["tsa"] = pki.tsa_certificate
        if name not in certificates or suffix not in ("crl", "cer"):
            return _text(404, f"The CA publishes nothing at {path}.")
        if method not in ("GET", "HEAD"):
            return _text(405, "Only GET reads what the CA publishes.")
        if suffix == "cer":
            der = certificates[name].public_bytes(Encoding.DER)
            return _Answer(200, "application/pkix-cert", der)
        root, intermediate = pki.crls(self.clock())
        crl = root if name == "root" else intermediate
        return _Answer(200, "application/pkix-crl", crl.public_bytes(Encoding.DER))

    def _ocsp_get(self, pki: Pki, encoded: str) -> _Answer:
        try:
            request = base64.b64decode(unquote(encoded), validate=True)
        except (binascii.Error, ValueError):
            request = b""  # answered "malformedRequest"
        return _Answer(200, "application/ocsp-response", pki.ocsp(request, self.clock()))

    def _current(self) -> Pki | None:
        """The PKI as its index now says, re-opened when the index changed."""
        try:
            stamp = (self.directory / "index.json").stat().st_mtime_ns
        except FileNotFoundError:
            return None
        if stamp != self._stamp:
            try:
                self._pki = Pki(self.directory)
            except PkiError:
                return None
            self._stamp = stamp
        return self._pki


def pki_service(directory: Path) -> PkiService:
    """The CA's service over the PKI in `directory` (which may not exist yet)."""
    return PkiService(directory)


def _sub_path(scope: Scope) -> str:
    """The path below where the service is mounted (Starlette keeps the full path and puts
    the mount point in root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def _body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
