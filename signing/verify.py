"""Verification results: each check reported on its own, one stable `problem` code.

`intact` (the signed bytes match), `chain_trusted`, `time_valid` (at the signing time),
`not_revoked` and `algorithm_ok` (SHA-1 is weak, not valid) are separate facts; `problem` names
the first failure in that order, `reason` says it in words. `valid` is "no problem".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from signing.errors import SignatureInvalid
from signing.profiles import CertificateKind

__all__ = ["DocumentVerification", "Problem", "VerificationResult"]


class Problem(StrEnum):
    MALFORMED = "malformed"
    UNSIGNED = "unsigned"
    UNVERIFIABLE_CERTIFICATE = "unverifiable_certificate"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    TAMPERED = "tampered"
    SIGNATURE_MISMATCH = "signature_mismatch"  # a signature made for another document
    SIGNATURE_INVALID = "signature_invalid"  # the value does not verify with the certificate
    UNKNOWN_ISSUER = "unknown_issuer"
    UNTRUSTED_CHAIN = "untrusted_chain"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOCATION_UNKNOWN = "revocation_unknown"
    REVOKED = "revoked"
    WEAK_ALGORITHM = "weak_algorithm"
    PERSON_SIGNATURE_MISSING = "person_signature_missing"
    ORGANISATION_SIGNATURE_MISSING = "organisation_signature_missing"
    AGENCY_MISMATCH = "agency_mismatch"
    SIGNATURE_ORDER = "signature_order"  # PAdES: the organisation signed before the person


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """One signature, checked."""

    intact: bool
    chain_trusted: bool
    time_valid: bool
    not_revoked: bool
    algorithm_ok: bool
    problem: Problem | None
    reason: str
    signer: str | None = None  # the certificate's CN: a person, or the organisation's name
    organisation: str | None = None  # O
    agency_code: str | None = None  # OU
    kind: CertificateKind | None = None
    signing_time: datetime | None = None
    serial: int | None = None
    timestamp: datetime | None = None  # a trusted RFC 3161 timestamp's time: then signing_time

    @property
    def valid(self) -> bool:
        return self.problem is None

    def raise_if_invalid(self) -> None:
        if self.problem is not None:
            raise SignatureInvalid(self)

    @classmethod
    def failed(
        cls, problem: Problem, reason: str, *, algorithm_ok: bool = True
    ) -> VerificationResult:
        """A signature that could not be checked at all: every fact is false."""
        return cls(False, False, False, False, algorithm_ok, problem, reason)


@dataclass(frozen=True, slots=True)
class DocumentVerification:
    """The person's and the organisation's signatures on one document (Nghị định 30/2020)."""

    person: VerificationResult | None
    organisation: VerificationResult | None
    problem: Problem | None
    reason: str
    others: tuple[VerificationResult, ...] = ()  # signatures by neither kind of certificate

    @property
    def valid(self) -> bool:
        return self.problem is None

    def raise_if_invalid(self) -> None:
        if self.problem is not None:
            raise SignatureInvalid(self)

    @classmethod
    def of(
        cls,
        person: VerificationResult | None,
        organisation: VerificationResult | None,
        others: tuple[VerificationResult, ...] = (),
    ) -> DocumentVerification:
        problem, reason = _document_problem(person, organisation, others)
        return cls(person, organisation, problem, reason, others)

    @classmethod
    def failed(cls, problem: Problem, reason: str) -> DocumentVerification:
        return cls(None, None, problem, reason)

    @classmethod
    def of_results(cls, results: list[VerificationResult]) -> DocumentVerification:
        """Sort signatures in signing order by their certificate's kind."""
        person = next((r for r in results if r.kind is CertificateKind.PERSON), None)
        organisation = next((r for r in results if r.kind is CertificateKind.ORGANISATION), None)
        others = tuple(r for r in results if r is not person and r is not organisation)
        return cls.of(person, organisation, others)


def _document_problem(
    person: VerificationResult | None,
    organisation: VerificationResult | None,
    others: tuple[VerificationResult, ...],
) -> tuple[Problem | None, str]:
    named = [("Person's", person), ("Organisation's", organisation)]
    for label, result in [*named, *(("Another", other) for other in others)]:
        if result is not None and result.problem is not None:
            return result.problem, f"{label} signature: {result.reason}"
    if person is None:
        return Problem.PERSON_SIGNATURE_MISSING, "The document lacks the signer's own signature."
    if organisation is None:
        return Problem.ORGANISATION_SIGNATURE_MISSING, "The organisation has not signed it."
    if person.agency_code != organisation.agency_code:
        return Problem.AGENCY_MISMATCH, (
            f"The signer belongs to {person.agency_code}, the organisation seal is "
            f"{organisation.agency_code}."
        )
    return None, f"Signed by {person.signer} and {organisation.organisation}."
