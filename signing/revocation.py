"""What the simulated CA says about revocation: CRLs kept in the PKI's public/ folder, and
OCSP answers (RFC 6960) signed by the CA that issued the certificate asked about.

A CRL is issued when none is current or when one misses a revocation, never on a mere read:
verifying a thousand documents writes nothing. Its number follows the one it replaces (read
from the file, so the index is never rewritten by a reader). Issuing is serialised across
processes by a lock file: the hub serving the CRLs and `eoffice pki revoke` may race.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509 import ocsp

from signing.crl import issue_crl, parse_crl
from signing.errors import PkiError
from signing.files import write_atomically
from signing.profiles import Issuer

if TYPE_CHECKING:
    from signing.pki import Pki

__all__ = ["CAS", "CRL_VALIDITY", "OCSP_VALIDITY", "answer_ocsp", "current_crls", "issue_crls"]

CAS = ("root", "intermediate")
CRL_VALIDITY = timedelta(days=7)
OCSP_VALIDITY = timedelta(days=1)
_SKEW = timedelta(minutes=1)  # thisUpdate a little back: a relying party's clock may lag
_SPKI = PublicFormat.SubjectPublicKeyInfo
_Crls = tuple[x509.CertificateRevocationList, ...]


def current_crls(pki: Pki, now: datetime) -> _Crls:
    """The root's and the intermediate's CRLs, current at `now` (see the module docstring)."""
    stored = _stored(pki.directory / "public")
    if stored is not None and _still_good(pki, stored, now):
        return stored
    with _lock(pki.public / ".crl.lock"):
        stored = _stored(pki.public)  # another process may have issued them meanwhile
        if stored is not None and _still_good(pki, stored, now):
            return stored
        return _issue(pki, stored, now)


def issue_crls(pki: Pki, now: datetime) -> _Crls:
    """New CRLs as of `now`, whatever is stored (publishing on purpose)."""
    with _lock(pki.public / ".crl.lock"):
        return _issue(pki, _stored(pki.public), now)


def _stored(public: Path) -> _Crls | None:
    try:
        return tuple(x509.load_der_x509_crl((public / f"{ca}.crl").read_bytes()) for ca in CAS)
    except (FileNotFoundError, ValueError):
        return None


def _still_good(pki: Pki, crls: _Crls, now: datetime) -> bool:
    root, intermediate = (parse_crl(crl) for crl in crls)
    listed = set(intermediate.revoked)
    wanted = {entry.serial for entry in pki.revocations()}
    return root.is_current(now) and intermediate.is_current(now) and listed == wanted


def _issue(pki: Pki, previous: _Crls | None, now: datetime) -> _Crls:
    revoked = [(e.serial, e.revoked_at, e.revocation_reason) for e in pki.revocations()]
    lists = {"root": [], "intermediate": revoked}
    crls = tuple(
        issue_crl(
            pki.ca(ca),
            lists[ca],  # type: ignore[arg-type]  # revoked_at is set on every revocation
            number=_number(previous[index] if previous else None) + 1,
            now=now,
            validity=CRL_VALIDITY,
        )
        for index, ca in enumerate(CAS)
    )
    for ca, crl in zip(CAS, crls, strict=True):
        write_atomically(pki.public / f"{ca}.crl", crl.public_bytes(Encoding.DER))
    write_atomically(pki.public / "crl.pem", b"".join(c.public_bytes(Encoding.PEM) for c in crls))
    return crls


def _number(crl: x509.CertificateRevocationList | None) -> int:
    return 0 if crl is None else parse_crl(crl).number or 0


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def answer_ocsp(pki: Pki, der: bytes, now: datetime) -> bytes:
    """A signed answer for the first certificate asked about; "malformedRequest" for bytes
    that are not a request, "unauthorized" for a CA that is not ours."""
    try:
        request = ocsp.load_der_ocsp_request(der)
    except ValueError:
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    issuer_name = _issuer_of(pki, request)
    if issuer_name is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    issuer = pki.ca(issuer_name)
    builder = _single_response(pki, issuer, request, now).responder_id(
        ocsp.OCSPResponderEncoding.HASH, issuer[0]
    )
    try:
        nonce = request.extensions.get_extension_for_class(x509.OCSPNonce)
        builder = builder.add_extension(nonce.value, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(issuer[1], hashes.SHA256()).public_bytes(Encoding.DER)


def _issuer_of(pki: Pki, request: ocsp.OCSPRequest) -> str | None:
    algorithm = request.hash_algorithm.name  # "sha1" or "sha256"
    for name in CAS:
        certificate = pki.root if name == "root" else pki.intermediate
        spki = certificate.public_key().public_bytes(
            Encoding.DER, PublicFormat.SubjectPublicKeyInfo
        )
        info = keys.PublicKeyInfo.load(spki)
        if getattr(info, algorithm, None) == request.issuer_key_hash:
            return name
    return None


def _single_response(
    pki: Pki, issuer: Issuer, request: ocsp.OCSPRequest, now: datetime
) -> ocsp.OCSPResponseBuilder:
    certificate, status, revoked_at, reason = _status(pki, issuer, request.serial_number)
    builder = ocsp.OCSPResponseBuilder()
    if certificate is None:
        return builder.add_response_by_hash(
            request.issuer_name_hash,
            request.issuer_key_hash,
            request.serial_number,
            request.hash_algorithm,
            ocsp.OCSPCertStatus.UNKNOWN,
            now,
            now + OCSP_VALIDITY,
            None,
            None,
        )
    return builder.add_response(
        certificate, issuer[0], request.hash_algorithm, status, now - _SKEW, now + OCSP_VALIDITY,
        revoked_at, reason,
    )  # fmt: skip


def _status(
    pki: Pki, issuer: Issuer, serial: int
) -> tuple[
    x509.Certificate | None,
    ocsp.OCSPCertStatus,
    datetime | None,
    x509.ReasonFlags | None,
]:
    if issuer[0] == pki.root:
        known = pki.intermediate if serial == pki.intermediate.serial_number else None
        return known, ocsp.OCSPCertStatus.GOOD, None, None
    if serial == pki.tsa_certificate.serial_number:
        return pki.tsa_certificate, ocsp.OCSPCertStatus.GOOD, None, None
    entry = pki.by_serial(serial)
    if entry is None:
        return None, ocsp.OCSPCertStatus.UNKNOWN, None, None
    try:
        certificate = pki.certificate(entry.id)
    except (PkiError, FileNotFoundError):
        return None, ocsp.OCSPCertStatus.UNKNOWN, None, None
    if entry.revoked_at is None:
        return certificate, ocsp.OCSPCertStatus.GOOD, None, None
    return certificate, ocsp.OCSPCertStatus.REVOKED, entry.revoked_at, entry.revocation_reason


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(Encoding.DER)
