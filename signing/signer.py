"""A signer: a certificate, its private key and the intermediates to carry along."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509

from signing.errors import SigningError
from signing.keys import PrivateKey
from signing.profiles import Identity, identity_of

__all__ = ["Signer"]


@dataclass(frozen=True, slots=True)
class Signer:
    certificate: x509.Certificate
    key: PrivateKey = field(repr=False)  # never printed
    chain: tuple[x509.Certificate, ...] = ()  # intermediates embedded with each signature

    @property
    def identity(self) -> Identity:
        return identity_of(self.certificate)

    def refuse_unless_valid(self, now: datetime) -> None:
        """SigningError, in one sentence, when the certificate is not valid at `now`: a
        signature it makes would be refused by every verifier."""
        certificate = self.certificate
        name = self.identity.signer or certificate.subject.rfc4514_string()
        if now > certificate.not_valid_after_utc:
            raise SigningError(
                f"the certificate of {name} (serial {certificate.serial_number:x}) expired at"
                f" {certificate.not_valid_after_utc:%Y-%m-%d %H:%M}Z: issue a new one first"
            )
        if now < certificate.not_valid_before_utc:
            raise SigningError(
                f"the certificate of {name} (serial {certificate.serial_number:x}) is valid"
                f" only from {certificate.not_valid_before_utc:%Y-%m-%d %H:%M}Z"
            )
