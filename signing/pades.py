"""PAdES signatures (ETSI.CAdES.detached) embedded in the PDF, one incremental update each:
the person signs first, then the organisation signs the person-signed file.

Signing is pyHanko's; the signing time is passed in and written as the dictionary's /M
(PAdES forbids the CMS signingTime attribute, and the content-identifier attribute too). The
document's id is bound in the signature dictionary's /Reason ("DocumentId <id>"), which the
byte range covers. Given `Evidence`, each signature is PAdES baseline B-T (an RFC 3161
timestamp of its value, an unsigned attribute) and B-LT (the CA certificates and CRLs in the
document security store), B-LTA with a document timestamp last when asked.

Verification is ours, for speed: each signature's CMS is checked over its byte range (see
`pdfsig`), the last signature must cover the whole file (anything appended after it is a
change after signing) unless what follows is validation data only (the DSS, document
timestamps: pyHanko's difference analysis says so, run only then), every signature a
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
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyHankoError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

from signing.der import read_signed_data
from signing.errors import SigningError
from signing.evidence import Evidence
from signing.hanko import HankoSigner, complete
from signing.pdfsig import EmbeddedSignature, find_signatures
from signing.profiles import CertificateKind
from signing.signer import Signer
from signing.signerinfo import Content, verify_signer_infos
from signing.trust import TrustStore
from signing.verify import DocumentVerification, Problem, VerificationResult

__all__ = [
    "DOCUMENT_ID_REASON",
    "ORGANISATION_FIELD",
    "PERSON_FIELD",
    "sign_document_pdf",
    "sign_pdf",
    "verify_pdf",
]

PERSON_FIELD = "ChuKyNguoiCoThamQuyen"  # the competent person's signature
ORGANISATION_FIELD = "ChuKyCoQuan"  # the organisation's
DOCUMENT_ID_REASON = "DocumentId "  # /Reason: this prefix, then the document's id
_RESERVED = 8192  # bytes kept for each CMS: no size-estimating dry run
_RESERVED_TIMESTAMPED = 16384  # with a timestamp token (its own certificates inside)


class _TimedPdfSigner(PdfSigner):
    """pyHanko's PdfSigner with the signing time given, not read from the clock."""

    def __init__(
        self,
        meta: PdfSignatureMetadata,
        signer: HankoSigner,
        now: datetime,
        evidence: Evidence | None,
    ) -> None:
        super().__init__(meta, signer, timestamper=evidence.timestamper if evidence else None)
        self._now = now

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._now
        return session


def sign_pdf(
    pdf: bytes,
    signer: Signer,
    now: datetime,
    *,
    field: str,
    document_id: str | None = None,
    evidence: Evidence | None = None,
) -> bytes:
    """`pdf` with one more signature, in the new signature field `field`; long-term (B-LT)
    with `evidence`, which refuses a certificate not valid at `now`."""
    hanko = HankoSigner(signer, signing_time=None, document_id=None)
    output = BytesIO()
    reserved = _RESERVED if evidence is None else _RESERVED_TIMESTAMPED
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        pdf_signer = _TimedPdfSigner(
            _metadata(signer, field, document_id, evidence), hanko, now, evidence
        )
        complete(pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved, output=output))
    except (PdfError, PyHankoError) as error:
        raise SigningError(f"Cannot sign this PDF: {error}") from error
    return output.getvalue()


def _metadata(
    signer: Signer, field: str, document_id: str | None, evidence: Evidence | None
) -> PdfSignatureMetadata:
    return PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        name=signer.identity.signer,
        reason=None if document_id is None else DOCUMENT_ID_REASON + document_id,
        embed_validation_info=evidence is not None,
        validation_context=evidence.validation_context() if evidence else None,
        use_pades_lta=evidence is not None and evidence.archive,
    )


def sign_document_pdf(
    pdf: bytes,
    person: Signer,
    organisation: Signer,
    now: datetime,
    *,
    document_id: str | None,
    evidence: Evidence | None = None,
) -> bytes:
    """The competent person's signature, then the organisation's over the signed file."""
    signed = sign_pdf(
        pdf, person, now, field=PERSON_FIELD, document_id=document_id, evidence=evidence
    )
    return sign_pdf(
        signed, organisation, now, field=ORGANISATION_FIELD, document_id=document_id,
        evidence=evidence,
    )  # fmt: skip


def verify_pdf(
    pdf: bytes, trust: TrustStore, now: datetime, *, document_id: str | None = None
) -> DocumentVerification:
    """The person's and the organisation's embedded signatures, and what they cover."""
    signatures = [s for s in find_signatures(pdf) if not s.document_timestamp]
    if not signatures:
        return DocumentVerification.failed(Problem.UNSIGNED, "The PDF carries no signature.")
    view = memoryview(pdf)
    results = [_verify_one(view, s, trust, now, document_id) for s in signatures]
    verification = DocumentVerification.of_results(results)
    problem, reason = _coverage_problem(signatures, pdf, results)
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
        signed_for=_document_id_in(signature.reason),
    )
    if len(results) != 1:
        return VerificationResult.failed(Problem.MALFORMED, "A PDF signature holds one signer.")
    return results[0]


def _document_id_in(reason: str | None) -> str | None:
    if reason is None or not reason.startswith(DOCUMENT_ID_REASON):
        return None
    return reason.removeprefix(DOCUMENT_ID_REASON)


def _coverage_problem(
    signatures: Sequence[EmbeddedSignature], pdf: bytes, results: Sequence[VerificationResult]
) -> tuple[Problem | None, str]:
    """The last signature covers the whole file, or validation data only follow it; the
    person signed before the organisation."""
    size = len(pdf)
    if signatures[-1].end != size and not _validation_data_only_after_last(pdf):
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


def _validation_data_only_after_last(pdf: bytes) -> bool:
    """pyHanko's difference analysis: the revisions after the last signature add nothing
    but the document security store and document timestamps (PAdES B-LT, B-LTA)."""
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_regular_signatures
        last = signatures[-1]
        last.compute_integrity_info()
    except (PdfError, PyHankoError, IndexError, ValueError):
        return False
    result = last.diff_result
    if not isinstance(result, DiffResult) or not _ends_a_revision(pdf):
        return False
    return bool(result.modification_level <= ModificationLevel.LTA_UPDATES)


def _ends_a_revision(pdf: bytes) -> bool:
    """Nothing but white space after the last %%EOF: no stray bytes outside a revision."""
    return pdf.rstrip().endswith(b"%%EOF")
