"""A signer: a certificate, its private key and the intermediates to carry along."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509

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
