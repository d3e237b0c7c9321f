"""The test PKI's time-stamping authority (RFC 3161, with RFC 5816's ESS signing-certificate-v2).

One `TimeStampingAuthority` answers a TimeStampReq with a token signed by the TSA's own
certificate (extended key usage id-kp-timeStamping, critical), at the time its clock gives:
pyHanko calls it in process while signing (`async_request_tsa_response`), and
`signing.service` answers POST /tsa with it. RSA and EC keys alike (pyHanko's own test TSA
is RSA-only and names a third party's policy).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from asn1crypto import algos, cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.timestamps.api import TimeStamper

from signing.hanko import to_asn1
from signing.keys import PrivateKey, sign_bytes
from signing.profiles import TSA_POLICY

__all__ = ["TimeStampingAuthority", "answer_request"]


class TimeStampingAuthority(TimeStamper):
    def __init__(
        self,
        certificate: x509.Certificate,
        key: PrivateKey,
        chain: tuple[x509.Certificate, ...],
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self._certificate = to_asn1(certificate)
        self._chain = [to_asn1(c) for c in chain]
        self._key = key
        self._clock = clock

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self.respond(req)

    def respond(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """A granted response holding the token for `req`'s message imprint."""
        info = self._tst_info(req).dump()
        token = cms.ContentInfo({"content_type": "signed_data", "content": self._signed(info)})
        status = tsp.PKIStatusInfo({"status": "granted"})
        return tsp.TimeStampResp({"status": status, "time_stamp_token": token})

    def _tst_info(self, req: tsp.TimeStampReq) -> tsp.TSTInfo:
        fields: dict[str, Any] = {
            "version": "v1",
            "policy": TSA_POLICY.dotted_string,
            "message_imprint": req["message_imprint"],
            "serial_number": secrets.randbits(63),
            "gen_time": self._clock(),
            "tsa": {"directory_name": self._certificate.subject},
        }
        if req["nonce"].native is not None:
            fields["nonce"] = req["nonce"]
        return tsp.TSTInfo(fields)

    def _signed(self, info: bytes) -> cms.SignedData:
        digest = hashes.Hash(hashes.SHA256())
        digest.update(info)
        attributes = cms.CMSAttributes(
            [
                _attribute("content_type", "tst_info"),
                _attribute("message_digest", digest.finalize()),
                _attribute("signing_certificate_v2", as_signing_certificate_v2(self._certificate)),
            ]
        )
        signature = sign_bytes(self._key, attributes.dump(), hashes.SHA256())
        algorithm = "sha256_rsa" if isinstance(self._key, rsa.RSAPrivateKey) else "sha256_ecdsa"
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": {
                    "issuer_and_serial_number": {
                        "issuer": self._certificate.issuer,
                        "serial_number": self._certificate.serial_number,
                    }
                },
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attributes,
                "signature_algorithm": {"algorithm": algorithm},
                "signature": signature,
            }
        )
        return cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": cms.ParsableOctetString(info),
                },
                "certificates": [self._certificate, *self._chain],
                "signer_infos": [signer_info],
            }
        )


def _attribute(kind: str, value: Any) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": kind, "values": [value]})


def answer_request(authority: TimeStampingAuthority, body: bytes) -> bytes:
    """The DER TimeStampResp to a DER TimeStampReq; a rejection (badDataFormat) for bytes
    that are not one."""
    try:
        request = tsp.TimeStampReq.load(body)
        request.native  # noqa: B018  # parses every field: a bad encoding raises here
    except (ValueError, TypeError, KeyError):
        status = tsp.PKIStatusInfo({"status": "rejection", "fail_info": {"bad_data_format"}})
        return bytes(tsp.TimeStampResp({"status": status}).dump())
    return bytes(authority.respond(request).dump())
