"""What Nghị định 30/2020 asks of whoever receives a document: check the person's and the
organisation's signatures on its main file, and the envelope's signature when there is one.
The hub (on arrival) and a receiving connector (before answering 03) apply the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exchange.domain.messages import Attachment, EdocMessage, Message
from signing import DocumentVerification, Problem, TrustStore, VerificationResult, cms, pades
from signing.xmldsig import verify_envelope

__all__ = ["MessageVerification", "main_file", "verify_message"]

DETACHED_TYPES = ("application/pkcs7-signature", "application/pkcs7-mime")
UNSIGNED = "Không có chữ ký số để kiểm tra (unsigned: a status package need not be signed)."


@dataclass(frozen=True, slots=True)
class MessageVerification:
    """The document's signatures (documents only) and the envelope's (when signed)."""

    document: DocumentVerification | None
    envelope: VerificationResult | None

    @property
    def problem(self) -> Problem | None:
        """The first failure: the document's signatures first, then the envelope's."""
        for part in (self.document, self.envelope):
            if part is not None and part.problem is not None:
                return part.problem
        return None

    @property
    def reason(self) -> str:
        for part in (self.document, self.envelope):
            if part is not None and part.problem is not None:
                return part.reason
        if self.document is None and self.envelope is None:
            return UNSIGNED
        return "Chữ ký số hợp lệ (valid signatures)."

    @property
    def signed(self) -> bool:
        """Whether anything was signed: a status package need not be."""
        return self.document is not None or self.envelope is not None

    @property
    def valid(self) -> bool:
        return self.problem is None

    def summary(self) -> dict[str, Any]:
        """A small JSON-able record, kept with the delivery."""
        document = self.document
        return {
            "valid": self.valid,
            "signed": self.signed,
            "problem": self.problem.value if self.problem else None,
            "reason": self.reason,
            "person": _who(document.person) if document else None,
            "organisation": _who(document.organisation) if document else None,
            "envelope": _who(self.envelope),
        }


def verify_message(
    body: bytes, message: Message, trust: TrustStore | None, now: datetime
) -> MessageVerification:
    """`trust` None: no CA is known (no PKI published), so nothing can be trusted."""
    if trust is None:
        return _untrusted(message)
    envelope = verify_envelope(body, trust, now) if message.has_signature else None
    document = _verify_document(message, trust, now) if isinstance(message, EdocMessage) else None
    return MessageVerification(document, envelope)


def _untrusted(message: Message) -> MessageVerification:
    reason = "No trusted CA is configured (run `eoffice pki init`): nothing can be verified."
    document = (
        DocumentVerification.failed(Problem.UNKNOWN_ISSUER, reason)
        if isinstance(message, EdocMessage)
        else None
    )
    envelope = VerificationResult.failed(Problem.UNKNOWN_ISSUER, reason)
    return MessageVerification(document, envelope if message.has_signature else None)


def main_file(message: EdocMessage) -> Attachment | None:
    """The document's PDF: the first attachment that is one."""
    return next((a for a in message.attachments if _is_pdf(a)), None)


def _verify_document(
    message: EdocMessage, trust: TrustStore, now: datetime
) -> DocumentVerification:
    pdf = main_file(message)
    if pdf is None:
        return DocumentVerification.failed(Problem.UNSIGNED, "The document has no PDF main file.")
    detached = next((a for a in message.attachments if _signs(a, pdf)), None)
    if detached is not None:
        return cms.verify_document(
            pdf.data, detached.data, trust, now, document_id=message.document_id
        )
    return pades.verify_pdf(pdf.data, trust, now, document_id=message.document_id)


def _is_pdf(attachment: Attachment) -> bool:
    return attachment.content_type == "application/pdf" or attachment.name.lower().endswith(".pdf")


def _signs(attachment: Attachment, pdf: Attachment) -> bool:
    """A detached CMS signature of the PDF: `<name>.p7s`, or a PKCS#7 content type."""
    named = attachment.name.lower() == f"{pdf.name.lower()}.p7s"
    return named or attachment.content_type in DETACHED_TYPES


def _who(result: VerificationResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "signer": result.signer,
        "organisation": result.organisation,
        "agency": result.agency_code,
        "signingTime": result.signing_time.isoformat() if result.signing_time else None,
        "problem": result.problem.value if result.problem else None,
    }
