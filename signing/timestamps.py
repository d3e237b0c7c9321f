"""The signature-time-stamp token of a SignerInfo (RFC 3161 in CMS, RFC 5652's unsigned
attribute id-aa-signatureTimeStampToken): read here, checked in `signerinfo`.

The token is itself a SignedData whose content, a TSTInfo, holds the hash of the signature
value it dates (the message imprint) and the TSA's time (genTime).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import core, tsp

from signing.der import SignedDataView, children, contents, read_signed_data

__all__ = ["TimestampToken", "read_token"]

_TOKEN = core.ObjectIdentifier("1.2.840.113549.1.9.16.2.14").dump()


@dataclass(frozen=True, slots=True)
class TimestampToken:
    signed_data: SignedDataView
    info: bytes  # the TSTInfo, as signed
    gen_time: datetime
    imprint_algorithm: str  # hashlib's name, e.g. "sha256"
    imprint: bytes


def read_token(unsigned_attrs: bytes | None) -> TimestampToken | None:
    """The first signature-time-stamp token, or None; ValueError when it does not parse."""
    if unsigned_attrs is None:
        return None
    for attribute in children(contents(unsigned_attrs)):
        kind, values = children(contents(attribute))
        if kind == _TOKEN:
            return _token(children(contents(values))[0])
    return None


def _token(encoding: bytes) -> TimestampToken:
    signed_data = read_signed_data(encoding)
    if signed_data.content is None:
        raise ValueError("the timestamp token holds no TSTInfo")
    info = tsp.TSTInfo.load(signed_data.content)
    imprint = info["message_imprint"]
    gen_time = info["gen_time"].native
    if not isinstance(gen_time, datetime):
        raise ValueError("the timestamp token has no genTime")
    return TimestampToken(
        signed_data=signed_data,
        info=signed_data.content,
        gen_time=gen_time,
        imprint_algorithm=str(imprint["hash_algorithm"]["algorithm"].native),
        imprint=bytes(imprint["hashed_message"].native),
    )
