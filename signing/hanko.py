"""pyHanko, adapted: our `Signer` behind pyHanko's `Signer`, with explicit signing time.

pyHanko builds the CMS structures (RFC 5652, CAdES signed attributes) and the PDF
incremental updates; the raw signature is made here with the key already in memory
(pyHanko's SimpleSigner reloads the key for every signature, ~50 ms for RSA). Signed
attributes: content-type and message-digest (pyHanko), signing-certificate-v2 (CAdES),
signingTime (CMS only: PAdES carries its time in the signature dictionary's /M) and, when a
document id is given, the ESS content-identifier (RFC 2634), which lets a verifier tell a
signature made for another document from a document altered after signing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from asn1crypto import core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.sign import attributes
from pyhanko.sign.ades.asn1_util import register_cms_attribute
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers import Signer as PyHankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.errors import SigningError
from signing.keys import sign_bytes
from signing.signer import Signer

__all__ = ["CONTENT_IDENTIFIER", "HankoSigner", "complete", "to_asn1"]

CONTENT_IDENTIFIER = "content_identifier"
register_cms_attribute("1.2.840.113549.1.9.16.2.7", CONTENT_IDENTIFIER, core.OctetString)
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
T = TypeVar("T")


@lru_cache(maxsize=1024)
def to_asn1(certificate: x509.Certificate) -> Any:
    """asn1crypto's view of `certificate`, parsed once per certificate."""
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def complete(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a pyHanko coroutine to its end from synchronous code, even inside a running loop
    (the hub's async handlers): then in a thread of its own. Nothing in it waits for I/O."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class HankoSigner(PyHankoSigner):
    def __init__(
        self, signer: Signer, *, signing_time: datetime | None, document_id: str | None
    ) -> None:
        certificate = to_asn1(signer.certificate)
        chain = [to_asn1(c) for c in signer.chain]
        super().__init__(
            signing_cert=certificate,
            cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
            embed_roots=False,
        )
        self._key = signer.key
        self.signed_attr_prov_spec = _Attributes(certificate, signing_time, document_id)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(
                self._key.key_size // 8 if isinstance(self._key, rsa.RSAPrivateKey) else 72
            )
        algorithm = _HASHES.get(digest_algorithm)
        if algorithm is None:
            raise SigningError(f"Unsupported digest algorithm {digest_algorithm}.")
        return sign_bytes(self._key, data, algorithm())


class _Attributes(attributes.SignedAttributeProviderSpec):
    def __init__(self, certificate: Any, signing_time: datetime | None, document_id: str | None):
        self._certificate = certificate
        self._signing_time = signing_time
        self._document_id = document_id

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterator[Any]:
        yield _SigningCertificate(self._certificate)
        if self._signing_time is not None:
            yield attributes.SigningTimeProvider(timestamp=self._signing_time)
        if self._document_id is not None:
            yield _ContentIdentifier(self._document_id)


class _SigningCertificate(attributes.CMSAttributeProvider):
    """ESS signing-certificate-v2 (RFC 5035), built once per certificate: ~5 ms in pyHanko."""

    attribute_type = "signing_certificate_v2"

    def __init__(self, certificate: Any) -> None:
        self._encoded = _signing_certificate(certificate.dump())

    async def build_attr_value(self, dry_run: bool = False) -> Any:
        return tsp.SigningCertificateV2.load(self._encoded)


@lru_cache(maxsize=1024)
def _signing_certificate(certificate: bytes) -> bytes:
    value = as_signing_certificate_v2(asn1_x509.Certificate.load(certificate))
    return bytes(value.dump())


class _ContentIdentifier(attributes.CMSAttributeProvider):
    attribute_type = CONTENT_IDENTIFIER

    def __init__(self, document_id: str) -> None:
        self._value = document_id.encode("utf-8")

    async def build_attr_value(self, dry_run: bool = False) -> Any:
        return core.OctetString(self._value)
