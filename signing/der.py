"""Read a CMS SignedData (RFC 5652 §5) for verification, fast.

asn1crypto's tag-length-value parser splits the encoding; the few fields a verifier needs
are picked by position as the RFC lays them out and decoded with asn1crypto's types. Its
generic object model would cost ~150 us per SignerInfo here, more than the RSA check.
Nothing is ever encoded here: signatures are checked over the bytes as received. BER
(indefinite lengths, as `openssl cms -stream` writes) reads the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import core, parser

__all__ = [
    "SignedDataView",
    "SignerInfoView",
    "children",
    "contents",
    "countersignatures",
    "octets",
    "read_signed_data",
    "time_value",
]

_SIGNED_DATA = core.ObjectIdentifier("1.2.840.113549.1.7.2").dump()
_COUNTERSIGNATURE = core.ObjectIdentifier("1.2.840.113549.1.9.6").dump()
_SEQUENCE, _IMPLICIT_0, _IMPLICIT_1 = 0x30, 0xA0, 0xA1


@dataclass(frozen=True, slots=True)
class SignerInfoView:
    sid: bytes  # IssuerAndSerialNumber (SEQUENCE) or [0] SubjectKeyIdentifier
    digest_algorithm: bytes  # AlgorithmIdentifier, whole encoding
    signed_attrs: bytes | None  # re-tagged as SET OF: the bytes the signature covers
    signature_algorithm: bytes
    signature: bytes
    unsigned_attrs: bytes | None = None  # [1] IMPLICIT SET OF Attribute, as received


@dataclass(frozen=True, slots=True)
class SignedDataView:
    detached: bool  # no eContent
    certificates: list[bytes]  # plain certificates only (other CertificateChoices skipped)
    signer_infos: list[SignerInfoView]
    content: bytes | None = None  # eContent's octets, when the content is encapsulated


def contents(encoding: bytes) -> bytes:
    """The contents octets of the single value `encoding` holds (trailing bytes refused)."""
    return bytes(parser.parse(encoding, strict=True)[4])


def children(encoded: bytes) -> list[bytes]:
    """The encodings of the values one after another in `encoded`."""
    found = []
    position = 0
    while position < len(encoded):
        _, _, _, header, body, trailer = parser.parse(encoded[position:])
        size = len(header) + len(body) + len(trailer)
        found.append(encoded[position : position + size])
        position += size
    return found


def read_signed_data(der: bytes) -> SignedDataView:
    """ValueError when `der` is not a ContentInfo holding a SignedData (trailing zeros,
    as a PDF's /Contents pads them, are ignored)."""
    content_type, *explicit = children(contents(_strip_padding(der)))
    if content_type != _SIGNED_DATA or len(explicit) != 1:
        raise ValueError("not a CMS SignedData")
    fields = children(contents(contents(explicit[0])))
    if len(fields) < 4:
        raise ValueError("SignedData has too few fields")
    encapsulated = children(contents(fields[2]))
    optional = fields[3:-1]
    certificates = [f for f in optional if f[0] == _IMPLICIT_0]
    listed = children(contents(certificates[0])) if certificates else []
    return SignedDataView(
        content=octets(contents(encapsulated[1])) if len(encapsulated) > 1 else None,
        detached=len(encapsulated) == 1,
        certificates=[c for c in listed if c[0] == _SEQUENCE],
        signer_infos=[_signer_info(info) for info in children(contents(fields[-1]))],
    )


def _strip_padding(der: bytes) -> bytes:
    _, _, _, header, body, trailer = parser.parse(der)
    return der[: len(header) + len(body) + len(trailer)]


def _signer_info(encoding: bytes) -> SignerInfoView:
    fields = children(contents(encoding))
    if len(fields) < 5:
        raise ValueError("SignerInfo has too few fields")
    _, sid, digest_algorithm, *rest = fields
    signed_attrs = None
    if rest[0][0] == _IMPLICIT_0:
        signed_attrs, rest = b"\x31" + rest[0][1:], rest[1:]  # RFC 5652 §5.4: SET OF tag
    if len(rest) < 2 or rest[0][0] != _SEQUENCE:
        raise ValueError("SignerInfo lacks its signature algorithm or value")
    signature = octets(rest[1]) or b""
    unsigned = rest[2] if len(rest) > 2 and rest[2][0] == _IMPLICIT_1 else None
    return SignerInfoView(sid, digest_algorithm, signed_attrs, rest[0], signature, unsigned)


def countersignatures(unsigned_attrs: bytes | None) -> list[SignerInfoView]:
    """The SignerInfos of the countersignature attributes (RFC 5652 §11.4), in order."""
    found: list[SignerInfoView] = []
    for attribute in children(contents(unsigned_attrs)) if unsigned_attrs else []:
        kind, values = children(contents(attribute))
        if kind == _COUNTERSIGNATURE:
            found += [_signer_info(value) for value in children(contents(values))]
    return found


def octets(encoding: bytes | None) -> bytes | None:
    """An OCTET STRING's value (a primitive one is its contents; BER may split it)."""
    if encoding is None:
        return None
    if encoding[:1] == b"\x04":
        return contents(encoding)
    return bytes(core.OctetString.load(encoding).native)


def time_value(encoding: bytes | None) -> datetime | None:
    """A UTCTime or GeneralizedTime (CMS signingTime)."""
    if encoding is None:
        return None
    kind = core.UTCTime if encoding[:1] == b"\x17" else core.GeneralizedTime
    value = kind.load(encoding).native
    return value if isinstance(value, datetime) else None
