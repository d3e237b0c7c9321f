"""PAdES signatures (ETSI.CAdES.detached) embedded in the PDF, one incremental update each:
the person signs first, then the organisation signs the person-signed file.

Signing is pyHanko's; the signing time is passed in and written as the dictionary's /M
(PAdES forbids the CMS signingTime attribute). Verification is ours, for speed: each
signature's CMS is checked over its byte range (see `pdfsig`), the last signature must cover
the whole file (anything appended after it is a change after signing), every signature a
revision of its own (a prefix of the file), and the person's before the organisation's.
Not judged here: what the organisation's incremental update changed besides adding its
signature; the organisation's signature vouches for that revision, and pyHanko's difference
analysis (slow: ~15 ms) can tell it apart, see tests/signing/test_pades.py. Each embedded
signature also verifies with openssl: the CMS is the /Contents hole, the content is the
file minus that hole (see the tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyHankoError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

from signing.der import read_signed_data
from signing.errors import SigningError
from signing.hanko import HankoSigner, complete
from signing.pdfsig import EmbeddedSignature, find_signatures
from signing.profiles import CertificateKind
from signing.signer import Signer
from signing.signerinfo import Content, verify_signer_infos
from signing.trust import TrustStore
from signing.verify import DocumentVerification, Problem, VerificationResult

__all__ = ["ORGANISATION_FIELD", "PERSON_FIELD", "sign_document_pdf", "sign_pdf", "verify_pdf"]

PERSON_FIELD = "ChuKyNguoiCoThamQuyen"  # the competent person's signature
ORGANISATION_FIELD = "ChuKyCoQuan"  # the organisation's
_RESERVED = 8192  # bytes kept for each CMS: no size-estimating dry run


class _TimedPdfSigner(PdfSigner):
    """pyHanko's PdfSigner with the signing time given, not read from the clock."""

    def __init__(self, meta: PdfSignatureMetadata, signer: HankoSigner, now: datetime) -> None:
        super().__init__(meta, signer)
        self._now = now

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._now
        return session


def sign_pdf(
    pdf: bytes, signer: Signer, now: datetime, *, field: str, document_id: str | None = None
) -> bytes:
    """`pdf` with one more signature, in the new signature field `field`."""
    meta = PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=signer.identity.signer,
    )
    hanko = HankoSigner(signer, signing_time=None, document_id=document_id)
    output = BytesIO()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        pdf_signer = _TimedPdfSigner(meta, hanko, now)
        complete(pdf_signer.async_sign_pdf(writer, bytes_reserved=_RESERVED, output=output))
    except (PdfError, PyHankoError) as error:
        raise SigningError(f"Cannot sign this PDF: {error}") from error
    return output.getvalue()


def sign_document_pdf(
    pdf: bytes, person: Signer, organisation: Signer, now: datetime, *, document_id: str | None
) -> bytes:
    """The competent person's signature, then the organisation's over the signed file."""
    signed = sign_pdf(pdf, person, now, field=PERSON_FIELD, document_id=document_id)
    return sign_pdf(signed, organisation, now, field=ORGANISATION_FIELD, document_id=document_id)


def verify_pdf(
    pdf: bytes, trust: TrustStore, now: datetime, *, document_id: str | None = None
) -> DocumentVerification:
    """The person's and the organisation's embedded signatures, and what they cover."""
    signatures = find_signatures(pdf)
    if not signatures:
        return DocumentVerification.failed(Problem.UNSIGNED, "The PDF carries no signature.")
    view = memoryview(pdf)
    results = [_verify_one(view, s, trust, now, document_id) for s in signatures]
    verification = DocumentVerification.of_results(results)
    problem, reason = _coverage_problem(signatures, len(pdf), results)
    if problem is None or verification.problem is not None:
        return verification
    return DocumentVerification(
        verification.person, verification.organisation, problem, reason, verification.others
    )


def _verify_one(
    pdf: memoryview,
    signature: EmbeddedSignature,
    trust: TrustStore,
    now: datetime,
    document_id: str | None,
) -> VerificationResult:
    _, hole, resume, length = signature.byte_range
    content = Content([pdf[:hole], pdf[resume : resume + length]])
    try:
        signed_data = read_signed_data(signature.cms)
    except (ValueError, IndexError) as error:
        return VerificationResult.failed(Problem.MALFORMED, f"Unreadable PDF signature: {error}.")
    results = verify_signer_infos(
        signed_data,
        content,
        trust,
        now,
        document_id=document_id,
        claimed_time=signature.claimed_time,
    )
    if len(results) != 1:
        return VerificationResult.failed(Problem.MALFORMED, "A PDF signature holds one signer.")
    return results[0]


def _coverage_problem(
    signatures: Sequence[EmbeddedSignature], size: int, results: Sequence[VerificationResult]
) -> tuple[Problem | None, str]:
    """The last signature covers the whole file; the person signed before the organisation."""
    if signatures[-1].end != size:
        return (
            Problem.TAMPERED,
            f"{size - signatures[-1].end} bytes were added after the last signature.",
        )
    kinds = [r.kind for r in results]
    person, organisation = CertificateKind.PERSON, CertificateKind.ORGANISATION
    if (
        person in kinds
        and organisation in kinds
        and kinds.index(organisation) < kinds.index(person)
    ):
        return Problem.SIGNATURE_ORDER, "The organisation signed before the competent person."
    return None, ""
