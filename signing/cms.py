"""Detached CMS / CAdES signatures (RFC 5652) over a document's bytes.

The person signs first, then the organisation counter-signs the person's signature (RFC 5652
§11.4, an unsigned attribute of the person's SignerInfo): as in the PDF, the organisation
signs over the competent person. Files made before, with the two SignerInfos side by side,
still verify. `openssl` verifies the person's signature (it does not check counter-signatures,
which `verify_document` does) with
    openssl cms -verify -binary -inform DER -in doc.p7s -content doc.pdf \
        -CAfile bundle.pem -purpose any -out /dev/null
`-purpose any` because these certificates carry no S/MIME extended key usage (openssl's
default purpose, smimesign, would refuse them); `-binary` so that no line ending is touched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asn1crypto import cms

from signing.countersign import countersign
from signing.der import SignedDataView, countersignatures, read_signed_data
from signing.evidence import Evidence
from signing.hanko import HankoSigner, complete
from signing.signer import Signer
from signing.signerinfo import Content, verify_signer_infos
from signing.trust import TrustStore
from signing.verify import DocumentVerification, Problem, VerificationResult

__all__ = [
    "add_signature",
    "sign_detached",
    "sign_document",
    "verify_detached",
    "verify_document",
]


def sign_detached(
    data: bytes,
    signer: Signer,
    now: datetime,
    *,
    document_id: str | None = None,
    digest: str = "sha256",
    evidence: Evidence | None = None,
) -> bytes:
    """A detached CAdES-BES signature of `data` (DER), signed at `now`; CAdES-T (a
    signature-time-stamp token, unsigned attribute) with `evidence`."""
    hanko = HankoSigner(signer, signing_time=now, document_id=document_id)
    signed = hanko.async_sign_general_data(
        data,
        digest,
        detached=True,
        use_cades=True,
        timestamper=evidence.timestamper if evidence else None,
    )
    return bytes(complete(signed).dump())


def add_signature(
    signature: bytes,
    data: bytes,
    signer: Signer,
    now: datetime,
    *,
    document_id: str | None = None,
    evidence: Evidence | None = None,
) -> bytes:
    """`signature` with one more SignerInfo (and its certificates) over the same `data`."""
    second = _signed_data(
        sign_detached(data, signer, now, document_id=document_id, evidence=evidence)
    )
    first = _signed_data(signature)
    merged = cms.SignedData(
        {
            "version": first["version"],
            "digest_algorithms": _union(first["digest_algorithms"], second["digest_algorithms"]),
            "encap_content_info": first["encap_content_info"],
            "certificates": _union(first["certificates"], second["certificates"]),
            "signer_infos": [*first["signer_infos"], *second["signer_infos"]],
        }
    )
    info = cms.ContentInfo({"content_type": "signed_data", "content": merged})
    return bytes(info.dump())


def sign_document(
    data: bytes,
    person: Signer,
    organisation: Signer,
    now: datetime,
    *,
    document_id: str | None,
    evidence: Evidence | None = None,
) -> bytes:
    """The person's signature, counter-signed by the organisation, in one SignedData."""
    first = sign_detached(data, person, now, document_id=document_id, evidence=evidence)
    return countersign(first, organisation, now, evidence=evidence)


def verify_detached(
    data: bytes,
    signature: bytes,
    trust: TrustStore,
    now: datetime,
    *,
    document_id: str | None = None,
) -> list[VerificationResult]:
    """Every signature in `signature` over `data`, in order."""
    try:
        signed_data = read_signed_data(signature)
    except (ValueError, IndexError) as error:  # asn1crypto's answer to bytes that do not parse
        return [VerificationResult.failed(Problem.MALFORMED, f"Not a CMS signature: {error}.")]
    if not signed_data.detached:
        reason = "The signature embeds its content: a detached signature was expected."
        return [VerificationResult.failed(Problem.MALFORMED, reason)]
    results = verify_signer_infos(signed_data, Content([data]), trust, now, document_id=document_id)
    for info in signed_data.signer_infos:
        for counter in countersignatures(info.unsigned_attrs):
            over = SignedDataView(True, signed_data.certificates, [counter])
            results += verify_signer_infos(
                over, Content([info.signature]), trust, now, content_type=None
            )
    return results


def verify_document(
    data: bytes,
    signature: bytes,
    trust: TrustStore,
    now: datetime,
    *,
    document_id: str | None = None,
) -> DocumentVerification:
    """Both signatures Nghị định 30/2020 asks for: the person's and the organisation's."""
    results = verify_detached(data, signature, trust, now, document_id=document_id)
    return DocumentVerification.of_results(results)


def _signed_data(der: bytes) -> Any:
    return cms.ContentInfo.load(der)["content"]


def _union(first: Any, second: Any) -> list[Any]:
    items = [*(first or []), *(second or [])]
    unique = {item.dump(): item for item in items}
    return list(unique.values())
