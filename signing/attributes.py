"""The signed attributes a verifier reads (RFC 5652 §11, RFC 5035, RFC 2634).

Found by OID in the DER SET the signature covers (see `der`), decoded by asn1crypto's types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from asn1crypto import core, parser

from signing.algorithms import digest_name
from signing.der import children, contents, octets, time_value

__all__ = ["ID_DATA", "TST_INFO", "SignedAttributes", "read_attributes"]

_NAMES = {
    core.ObjectIdentifier(dotted).dump(): name
    for dotted, name in (
        ("1.2.840.113549.1.9.3", "content_type"),
        ("1.2.840.113549.1.9.4", "message_digest"),
        ("1.2.840.113549.1.9.5", "signing_time"),
        ("1.2.840.113549.1.9.16.2.7", "content_identifier"),
        ("1.2.840.113549.1.9.16.2.47", "signing_certificate_v2"),
    )
}
ID_DATA = core.ObjectIdentifier("1.2.840.113549.1.7.1").dump()
TST_INFO = core.ObjectIdentifier("1.2.840.113549.1.9.16.1.4").dump()  # a timestamp token's


@dataclass(frozen=True, slots=True)
class SignedAttributes:
    message_digest: bytes | None
    signing_time: datetime | None
    content_identifier: bytes | None  # the document the signer meant (ours: its id)
    certificate_hash: bytes | None  # ESS signing-certificate-v2 certHash, SHA-256 only


def read_attributes(signed: bytes, content_type: bytes | None = ID_DATA) -> SignedAttributes | None:
    """The attributes, or None when content-type is not `content_type` (RFC 5652 §5.3;
    None: a counter-signature's, which has none, §11.4)."""
    values = _first_values(signed)
    if values.get("content_type") != content_type:
        return None
    return SignedAttributes(
        message_digest=octets(values.get("message_digest")),
        signing_time=time_value(values.get("signing_time")),
        content_identifier=octets(values.get("content_identifier")),
        certificate_hash=_ess_hash(values.get("signing_certificate_v2")),
    )


def _first_values(signed: bytes) -> dict[str, bytes]:
    """The encoding of the first value of each attribute named in `_NAMES`."""
    found = (_attribute(attribute) for attribute in children(contents(signed)))
    return {name: value for name, value in found if name}


@lru_cache(maxsize=4096)  # content-type and signing-certificate recur in every signature
def _attribute(encoding: bytes) -> tuple[str, bytes]:
    """(our name for its type or "", the encoding of its first value)."""
    body = contents(encoding)
    size = parser.peek(body)
    name = _NAMES.get(body[:size], "")
    if not name:
        return "", b""
    values = contents(body[size:])
    return name, values[: parser.peek(values)]


def _ess_hash(encoding: bytes | None) -> bytes | None:
    return None if encoding is None else _ess_hash_of(encoding)


@lru_cache(maxsize=4096)  # the same for every signature a signer makes
def _ess_hash_of(encoding: bytes) -> bytes | None:
    """certHash of the first ESSCertIDv2 when its hash is SHA-256 (the default)."""
    certs = children(contents(encoding))[0]
    first = children(contents(children(contents(certs))[0]))  # [hashAlg,] certHash [, serial]
    if first[0][:1] == b"\x30":
        if digest_name(first[0]) != "sha256":
            return None
        first = first[1:]
    return octets(first[0])
