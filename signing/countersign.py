"""The organisation's counter-signature over the person's (RFC 5652 §11.4): a SignerInfo
whose message digest is the hash of the person's signature value, carried as the person's
unsigned attribute countersignature. The .p7s then says, as the PDF's order does, that the
organisation signed over the competent person."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from asn1crypto import cms, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.sign.general import as_signing_certificate_v2

from signing.evidence import Evidence
from signing.hanko import complete, to_asn1
from signing.keys import sign_bytes
from signing.signer import Signer

__all__ = ["countersign"]


def countersign(
    signed: bytes, signer: Signer, now: datetime, *, evidence: Evidence | None = None
) -> bytes:
    """`signed` (a SignedData with one SignerInfo) with `signer`'s counter-signature on it,
    itself timestamped (signature-time-stamp) with `evidence`."""
    first = cms.ContentInfo.load(signed)["content"]
    person = first["signer_infos"][0]
    counter = _counter_signer_info(bytes(person["signature"].native), signer, now)
    if evidence is not None:
        counter = _timestamped(counter, evidence)
    unsigned = [*(person["unsigned_attrs"] if person["unsigned_attrs"].native else [])]
    unsigned.append(cms.CMSAttribute({"type": "counter_signature", "values": [counter]}))
    fields = ("version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm")
    countersigned = cms.SignerInfo(
        {**{name: person[name] for name in fields}, "signature": person["signature"],
         "unsigned_attrs": cms.CMSAttributes(unsigned)}
    )  # fmt: skip  # new objects around the signed attributes: their bytes stay as signed
    held = {c.dump() for c in first["certificates"]}
    extra = [to_asn1(c) for c in (signer.certificate, *signer.chain)]
    merged = cms.SignedData(
        {
            "version": first["version"],
            "digest_algorithms": first["digest_algorithms"],
            "encap_content_info": first["encap_content_info"],
            "certificates": [*first["certificates"], *(c for c in extra if c.dump() not in held)],
            "signer_infos": [countersigned],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": merged}).dump())


def _counter_signer_info(value: bytes, signer: Signer, now: datetime) -> cms.SignerInfo:
    certificate = to_asn1(signer.certificate)
    attributes = cms.CMSAttributes(
        [
            _attribute("message_digest", hashlib.sha256(value).digest()),
            _attribute("signing_time", cms.Time({"utc_time": core.UTCTime(now)})),
            _attribute("signing_certificate_v2", as_signing_certificate_v2(certificate)),
        ]
    )
    signature = sign_bytes(signer.key, attributes.dump(), hashes.SHA256())
    algorithm = "sha256_rsa" if isinstance(signer.key, rsa.RSAPrivateKey) else "sha256_ecdsa"
    return cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            },
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": algorithm},
            "signature": signature,
        }
    )


def _timestamped(info: cms.SignerInfo, evidence: Evidence) -> cms.SignerInfo:
    value = bytes(info["signature"].native)
    token = complete(evidence.timestamper.async_timestamp(hashlib.sha256(value).digest(), "sha256"))
    info["unsigned_attrs"] = cms.CMSAttributes([_attribute("signature_time_stamp_token", token)])
    return info


def _attribute(kind: str, value: Any) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": kind, "values": [value]})
