"""What makes a signature outlast its certificate (PAdES B-T/B-LT, CAdES-T): a time-stamping
authority that dates the signature, and the validation data (CA certificates, CRLs) as they
stood at signing, which pyHanko embeds in the PDF's document security store (DSS)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko_certvalidator import ValidationContext

from signing.hanko import to_asn1

__all__ = ["Evidence"]


class _NoFetchingNotice(logging.Filter):
    """pyHanko warns, at every signature, that it embeds validation data without fetching:
    here that is the point (the data are the PKI's own, as of the signing time)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchingNotice())


@dataclass(frozen=True)
class Evidence:
    timestamper: TimeStamper
    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...]
    moment: datetime
    archive: bool = False  # B-LTA: a document timestamp over the whole file, last

    def validation_context(self) -> ValidationContext:
        """pyHanko's view of the same facts, nothing fetched: what the DSS will hold."""
        return ValidationContext(
            trust_roots=[to_asn1(c) for c in self.roots],
            other_certs=[to_asn1(c) for c in self.intermediates],
            crls=[asn1_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in self.crls],
            allow_fetching=False,
            moment=self.moment,
            revocation_mode="require",
        )
