"""The receiver's signature panel: what `verify_message` found for the person's and the
organisation's signatures, each certificate's chain up to the root, and the answer a clerk
owes under Nghị định 30/2020 (`answer_for`: 03 valid, 02 with the reason otherwise)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from exchange.domain.messages import EdocMessage
from exchange.protocol.receiver import answer_for
from exchange.protocol.verification import MessageVerification, main_file
from exchange.web.plain import advice_key, return_reason
from signing import VerificationResult
from signing.der import read_signed_data
from signing.pdfsig import find_signatures

__all__ = ["SignaturePanel", "SignatureView", "build_panel"]

CHECKS = ("intact", "chain_trusted", "time_valid", "not_revoked", "algorithm_ok")


@dataclass(frozen=True, slots=True)
class SignatureView:
    role: str  # person | organisation | envelope | other
    signer: str
    organisation: str
    agency_code: str
    signing_time: datetime | None
    serial: str
    checks: tuple[tuple[str, bool], ...]
    problem: str | None
    reason: str
    chain: tuple[str, ...]  # the signer's certificate, then each issuer up to the root

    @property
    def valid(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class SignaturePanel:
    valid: bool
    problem: str | None
    reason: str
    signatures: tuple[SignatureView, ...]
    answer_code: str
    answer_text: str  # the 02 reason in plain Vietnamese ("" when valid)
    checked_at: datetime

    @property
    def advice(self) -> str:
        """The catalogue key of what the clerk should do."""
        return advice_key(self.problem)


def build_panel(
    verification: MessageVerification,
    message: EdocMessage,
    authorities: Sequence[x509.Certificate],
    checked_at: datetime,
) -> SignaturePanel:
    carried = _carried_certificates(message)
    pool = [*carried, *authorities]
    views: list[SignatureView] = []
    document = verification.document
    if document is not None:
        for role, result in (("person", document.person), ("organisation", document.organisation)):
            if result is not None:
                views.append(_view(role, result, pool))
        views += [_view("other", r, pool) for r in document.others]
    if verification.envelope is not None:
        views.append(_view("envelope", verification.envelope, pool))
    answer = answer_for(verification)
    problem = verification.problem.value if verification.problem else None
    return SignaturePanel(
        verification.valid,
        problem,
        verification.reason,
        tuple(views),
        answer.status_code,
        return_reason(problem) if problem else "",
        checked_at,
    )


def _view(role: str, result: VerificationResult, pool: list[x509.Certificate]) -> SignatureView:
    return SignatureView(
        role=role,
        signer=result.signer or "?",
        organisation=result.organisation or "",
        agency_code=result.agency_code or "",
        signing_time=result.signing_time,
        serial=format(result.serial, "x") if result.serial is not None else "",
        checks=tuple((name, bool(getattr(result, name))) for name in CHECKS),
        problem=result.problem.value if result.problem else None,
        reason=result.reason,
        chain=_chain(result.serial, pool),
    )


def _carried_certificates(message: EdocMessage) -> list[x509.Certificate]:
    """Every certificate the PDF's signatures carry."""
    pdf = main_file(message)
    found: list[x509.Certificate] = []
    for signature in find_signatures(pdf.data) if pdf else []:
        try:
            ders = read_signed_data(signature.cms).certificates
            found += [x509.load_der_x509_certificate(der) for der in ders]
        except ValueError:
            continue
    return found


def _chain(serial: int | None, pool: list[x509.Certificate]) -> tuple[str, ...]:
    leaf = next((c for c in pool if c.serial_number == serial), None)
    if leaf is None:
        return ()
    names, current = [_name(leaf)], leaf
    for _ in range(5):
        if current.issuer == current.subject:
            return tuple(names)
        issuer = next((c for c in pool if c.subject == current.issuer), None)
        if issuer is None:
            return (*names, f"? {current.issuer.rfc4514_string()}")
        names.append(_name(issuer))
        current = issuer
    return tuple(names)


def _name(certificate: x509.Certificate) -> str:
    found = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(found[0].value) if found else certificate.subject.rfc4514_string()
