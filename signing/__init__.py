"""PKI and signatures for G2G documents (Nghị định 30/2020): a government-shaped test PKI,
the person's and the organisation's signatures on a document's PDF (detached CMS/CAdES, or
PAdES inside the PDF), enveloped XML-DSig on edXML messages, and verification results that
keep each check apart. Knows nothing of the hub: bytes, keys and certificates in, signatures
and results out, time passed in explicitly.

    from signing import cms, pades, xmldsig
    pki = Pki(path); trust = pki.trust_store(now)
    signed = pades.sign_document_pdf(pdf, pki.signer(person_id), pki.signer(org_id), now, ...)
    pades.verify_pdf(signed, trust, now).raise_if_invalid()
"""

from signing.doctypes import DocumentType
from signing.errors import PkiError, SignatureInvalid, SigningError
from signing.issued import CertificateRequest, IssuedCertificate
from signing.keys import KeyAlgorithm
from signing.pdf import OfficialDocument, render_pdf
from signing.pki import Pki
from signing.profiles import CertificateKind
from signing.signer import Signer
from signing.trust import TrustStore
from signing.verify import DocumentVerification, Problem, VerificationResult

__all__ = [
    "CertificateKind",
    "CertificateRequest",
    "DocumentType",
    "DocumentVerification",
    "IssuedCertificate",
    "KeyAlgorithm",
    "OfficialDocument",
    "Pki",
    "PkiError",
    "Problem",
    "SignatureInvalid",
    "Signer",
    "SigningError",
    "TrustStore",
    "VerificationResult",
    "render_pdf",
]
