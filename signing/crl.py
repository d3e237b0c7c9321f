"""Certificate revocation lists (RFC 5280): issued by a CA, parsed once, looked up per check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from signing.profiles import Issuer

__all__ = ["ParsedCrl", "issue_crl", "load_crls", "parse_crl"]


def issue_crl(
    issuer: Issuer,
    revoked: Iterable[tuple[int, datetime, x509.ReasonFlags | None]],
    *,
    number: int,
    now: datetime,
    validity: timedelta,
) -> x509.CertificateRevocationList:
    """A CRL listing `revoked` (serial, revocation time, reason code), valid from `now` for
    `validity`."""
    certificate, key = issuer
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(certificate.subject)
        .last_update(now)
        .next_update(now + validity)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
    )
    for serial, when, reason in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        if reason is not None:
            entry = entry.add_extension(x509.CRLReason(reason), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(key, hashes.SHA256())


def load_crls(data: bytes) -> list[x509.CertificateRevocationList]:
    """Every CRL in `data`: concatenated PEM blocks, or a single DER CRL."""
    if b"-----BEGIN X509 CRL-----" not in data:
        return [x509.load_der_x509_crl(data)]
    marker = b"-----END X509 CRL-----"
    blocks = [block + marker for block in data.split(marker) if b"-----BEGIN" in block]
    return [x509.load_pem_x509_crl(block) for block in blocks]


@dataclass(frozen=True, slots=True)
class ParsedCrl:
    """What a check needs from a CRL: revoked serials and the window it speaks for."""

    der: bytes
    revoked: Mapping[int, datetime]
    this_update: datetime
    next_update: datetime | None
    number: int | None

    def is_current(self, now: datetime) -> bool:
        return self.this_update <= now and (self.next_update is None or now <= self.next_update)


def parse_crl(crl: x509.CertificateRevocationList) -> ParsedCrl:
    try:
        number: int | None = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        number = None
    return ParsedCrl(
        der=crl.public_bytes(Encoding.DER),
        revoked={entry.serial_number: entry.revocation_date_utc for entry in crl},
        this_update=crl.last_update_utc,
        next_update=crl.next_update_utc,
        number=number,
    )
