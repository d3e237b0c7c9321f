"""Entries of the PKI index: what was issued to whom, and what a request asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509

from signing.profiles import CertificateKind, Subject

__all__ = ["CertificateRequest", "IssuedCertificate"]


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    id: str
    serial: int
    kind: CertificateKind
    agency_code: str
    subject: str
    not_before: datetime
    not_after: datetime
    revoked_at: datetime | None = None
    revocation_reason: x509.ReasonFlags | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "serial": format(self.serial, "x"),
            "kind": self.kind.value,
            "agency_code": self.agency_code,
            "subject": self.subject,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "revocation_reason": self.revocation_reason.value if self.revocation_reason else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IssuedCertificate:
        revoked, reason = data["revoked_at"], data.get("revocation_reason")
        return cls(
            id=data["id"],
            serial=int(data["serial"], 16),
            kind=CertificateKind(data["kind"]),
            agency_code=data["agency_code"],
            subject=data["subject"],
            not_before=datetime.fromisoformat(data["not_before"]),
            not_after=datetime.fromisoformat(data["not_after"]),
            revoked_at=datetime.fromisoformat(revoked) if revoked else None,
            revocation_reason=x509.ReasonFlags(reason) if reason else None,
        )


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """An organisation (no `full_name`) or a person certificate for `agency_code`."""

    agency_code: str
    agency_name: str
    full_name: str | None = None
    position: str | None = None

    @property
    def kind(self) -> CertificateKind:
        return CertificateKind.ORGANISATION if self.full_name is None else CertificateKind.PERSON

    def subject(self) -> Subject:
        name = self.full_name or self.agency_name
        return Subject(name, self.agency_name, self.agency_code, self.position)
