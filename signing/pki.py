"""A file-backed test PKI shaped like the government's (see `profiles`).

Layout under its directory: ca/{root,intermediate}.pem + .key, issued/<id>.pem + .key,
index.json (serial, subject, kind, agency code, validity, revocation) and public/ (what
relying parties read: the CA certificates and the current CRLs, see `revocation`).
Every certificate below the root names where its issuer publishes, under the PKI's base
address (`DEFAULT_BASE_URL`, served by `signing.service`): {base}/{ca}.crl, {base}/{ca}.cer
and the OCSP responder {base}/ocsp. Keys are written 0600
in 0700 directories and never leave this module except inside a `Signer`. One writer at a
time: the index is rewritten whole (atomically) on each change.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_der_private_key,
)

from signing import revocation
from signing.errors import PkiError
from signing.evidence import Evidence
from signing.files import write_atomically
from signing.issued import CertificateRequest, IssuedCertificate
from signing.keys import KeyAlgorithm, PrivateKey, generate_key, read_private_key, write_private_key
from signing.profiles import (
    CertificateKind,
    Issuer,
    Publication,
    Subject,
    ca_certificate,
    leaf_certificate,
    tsa_certificate,
)
from signing.signer import Signer
from signing.trust import TrustStore
from signing.tsa import TimeStampingAuthority

__all__ = ["DEFAULT_BASE_URL", "Pki"]

DEFAULT_BASE_URL = "http://127.0.0.1:8000/pki"  # where `eoffice serve` mounts signing.service
_YEAR = timedelta(days=365)
_LEAF_VALIDITY = 3 * _YEAR
_CA_VALIDITY = 30 * _YEAR  # as the government's G2 root and intermediate (2018-2048)
_AGENCY_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,63}")
# Named as the government's G2 hierarchy is (../shared/domain.md §5), marked as a simulation.
_CA_ORGANISATION = "Ban Cơ yếu Chính phủ (mô phỏng)"
ROOT = Subject("RootCA chuyên dùng Chính phủ G2 (mô phỏng)", _CA_ORGANISATION)
INTERMEDIATE = Subject("CA phục vụ các cơ quan Nhà nước G2 (mô phỏng)", _CA_ORGANISATION)
TSA = Subject("Dịch vụ cấp dấu thời gian (mô phỏng)", _CA_ORGANISATION)
_TSA_VALIDITY = 15 * _YEAR  # outlives the leaves it dates (3 years) by more than 10 years


class Pki:
    def __init__(self, directory: Path) -> None:
        """Open an initialised PKI; `Pki.init()` creates one."""
        self.directory = directory
        if not self._index_path.exists():
            raise PkiError(f"No PKI in {directory}: initialise it first.")
        self._index = json.loads(self._index_path.read_text(encoding="utf-8"))
        self._entries = [IssuedCertificate.from_json(e) for e in self._index["certificates"]]
        self.root = _read_certificate(directory / "ca" / "root.pem")
        self.intermediate = _read_certificate(directory / "ca" / "intermediate.pem")
        self._ca_key: PrivateKey | None = None
        self._signers: dict[str, Signer] = {}

    @classmethod
    def init(
        cls,
        directory: Path,
        now: datetime,
        *,
        algorithm: KeyAlgorithm = KeyAlgorithm.RSA_2048,
        base_url: str = DEFAULT_BASE_URL,
    ) -> Pki:
        """Create the root and the intermediate CA; refuses a directory that has a PKI."""
        if (directory / "index.json").exists():
            raise PkiError(f"{directory} already holds a PKI.")
        for sub in ("ca", "issued"):
            (directory / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
        root_key, intermediate_key = generate_key(algorithm), generate_key(algorithm)
        root = ca_certificate(ROOT, root_key, None, now=now, validity=_CA_VALIDITY, published=None)
        intermediate = ca_certificate(
            INTERMEDIATE,
            intermediate_key,
            (root, root_key),
            now=now,
            validity=_CA_VALIDITY,
            published=_publication(base_url, "root"),
        )
        for name, certificate, key in (
            ("root", root, root_key),
            ("intermediate", intermediate, intermediate_key),
        ):
            _write_pair(directory / "ca" / name, certificate, key)
        index: dict[str, Any] = {
            "version": 1,
            "algorithm": algorithm.value,
            "base_url": base_url,
            "certificates": [],
        }
        _write_json(directory / "index.json", index)
        pki = cls(directory)
        pki.time_stamping(lambda: now)  # the TSA's certificate, issued with the CAs
        return pki

    @property
    def algorithm(self) -> KeyAlgorithm:
        return KeyAlgorithm(self._index["algorithm"])

    def entries(self) -> tuple[IssuedCertificate, ...]:
        return tuple(self._entries)

    def issue_org(
        self,
        agency_code: str,
        agency_name: str,
        now: datetime,
        *,
        validity: timedelta = _LEAF_VALIDITY,
    ) -> IssuedCertificate:
        return self.issue_many(
            [CertificateRequest(agency_code, agency_name)], now, validity=validity
        )[0]

    def issue_person(
        self,
        agency_code: str,
        full_name: str,
        position: str,
        now: datetime,
        *,
        agency_name: str | None = None,
        validity: timedelta = _LEAF_VALIDITY,
    ) -> IssuedCertificate:
        """A leader's certificate; the agency's name defaults to its organisation certificate's."""
        name = agency_name or self._agency_name(agency_code)
        request = CertificateRequest(agency_code, name, full_name, position)
        return self.issue_many([request], now, validity=validity)[0]

    def issue_many(
        self,
        requests: Iterable[CertificateRequest],
        now: datetime,
        *,
        validity: timedelta = _LEAF_VALIDITY,
    ) -> list[IssuedCertificate]:
        """Issue several certificates, writing the index once (seeding a province). RSA keys
        are generated on every core: they cost ~60 ms each."""
        wanted = list(requests)
        keys = _generate_keys(self.algorithm, len(wanted))
        issued = [self._issue(r, now, validity, key) for r, key in zip(wanted, keys, strict=True)]
        self._save()
        return issued

    def revoke(
        self,
        serial_or_id: int | str,
        now: datetime,
        *,
        reason: x509.ReasonFlags = x509.ReasonFlags.key_compromise,
    ) -> IssuedCertificate:
        """Mark a certificate revoked as of `now` for `reason`; the next `crls(now)` lists it
        with that reason code, and the OCSP responder answers "revoked"."""
        entry = self.entry(serial_or_id)
        if entry.revoked_at is None:
            entry = replace(entry, revoked_at=now, revocation_reason=reason)
            self._entries = [entry if e.id == entry.id else e for e in self._entries]
            self._save()
        return entry

    def crls(self, now: datetime) -> tuple[x509.CertificateRevocationList, ...]:
        """The root's CRL (for the intermediate) and the intermediate's, current at `now`:
        those in public/ while they are, issued anew (and written there) only when they are
        not, or when a revocation is missing from them."""
        return revocation.current_crls(self, now)

    def ocsp(self, request: bytes, now: datetime) -> bytes:
        """The OCSP responder (RFC 6960): a DER response to a DER request, signed by the CA
        that issued the certificate asked about."""
        return revocation.answer_ocsp(self, request, now)

    def ca(self, name: str) -> Issuer:
        """ "root" or "intermediate": its certificate and key (the key read once)."""
        if name == "intermediate":
            return self._issuer()
        if name != "root":
            raise PkiError(f"No CA {name!r} in this PKI.")
        return self.root, read_private_key(self.directory / "ca" / "root.key")

    def revocations(self) -> list[IssuedCertificate]:
        return [e for e in self._entries if e.revoked_at is not None]

    def by_serial(self, serial: int) -> IssuedCertificate | None:
        return next((e for e in self._entries if e.serial == serial), None)

    def crl_pem(self, now: datetime) -> bytes:
        return b"".join(crl.public_bytes(Encoding.PEM) for crl in self.crls(now))

    def export_bundle(self) -> bytes:
        """Root then intermediate, PEM: the CA bundle outside tools trust."""
        return self.root.public_bytes(Encoding.PEM) + self.intermediate.public_bytes(Encoding.PEM)

    def publish(self, now: datetime) -> Path:
        """Write what relying parties read, public material only: `public/ca-bundle.pem`
        (root + intermediate), root.pem and intermediate.pem, and the current CRLs (DER per
        CA and together in crl.pem, issued anew at `now`), each replaced atomically."""
        public = self.public
        for name, certificate in (("root.pem", self.root), ("intermediate.pem", self.intermediate)):
            write_atomically(public / name, certificate.public_bytes(Encoding.PEM))
        write_atomically(public / "ca-bundle.pem", self.export_bundle())
        revocation.issue_crls(self, now)
        return public

    @property
    def public(self) -> Path:
        public = self.directory / "public"
        public.mkdir(exist_ok=True)
        return public

    def publication(self, ca: str) -> Publication:
        """Where `ca` ("root", "intermediate") publishes, as the certificates it issues say."""
        base = self._index.get("base_url") or self._index["crl_url"].rsplit("/", 1)[0]
        return _publication(base, ca)

    def time_stamping(self, clock: Callable[[], datetime]) -> TimeStampingAuthority:
        """The PKI's RFC 3161 time-stamping authority, dating tokens by `clock`."""
        certificate, key = self._tsa_pair()
        return TimeStampingAuthority(certificate, key, (self.intermediate,), clock)

    @property
    def tsa_certificate(self) -> x509.Certificate:
        return self._tsa_pair()[0]

    def evidence(self, now: datetime, *, archive: bool = False) -> Evidence:
        """For long-term signatures made at `now`: the TSA (dating them `now`), the CA
        certificates and the CRLs current at `now`."""
        return Evidence(
            self.time_stamping(lambda: now),
            (self.root,),
            (self.intermediate,),
            self.crls(now),
            now,
            archive,
        )

    def trust_store(self, now: datetime) -> TrustStore:
        return TrustStore([self.root], [self.intermediate], self.crls(now))

    def entry(self, serial_or_id: int | str) -> IssuedCertificate:
        for entry in self._entries:
            if serial_or_id in (entry.id, entry.serial, format(entry.serial, "x")):
                return entry
        raise PkiError(f"No certificate {serial_or_id!r} in this PKI.")

    def current(self, agency_code: str, kind: CertificateKind) -> IssuedCertificate:
        """The newest unrevoked certificate of that kind for the agency."""
        found = [
            e
            for e in self._entries
            if (e.agency_code, e.kind) == (agency_code, kind) and not e.revoked_at
        ]
        if not found:
            raise PkiError(f"No current {kind.value} certificate for {agency_code}.")
        return found[-1]

    def certificate(self, serial_or_id: int | str) -> x509.Certificate:
        return _read_certificate(self._issued(self.entry(serial_or_id).id, ".pem"))

    def signer(self, serial_or_id: int | str) -> Signer:
        """Certificate + key (loaded once and kept in memory) + the intermediate."""
        entry = self.entry(serial_or_id)
        if entry.id not in self._signers:
            key = read_private_key(self._issued(entry.id, ".key"))
            certificate = self.certificate(entry.id)
            self._signers[entry.id] = Signer(certificate, key, (self.intermediate,))
        return self._signers[entry.id]

    def _issue(
        self, request: CertificateRequest, now: datetime, validity: timedelta, key: PrivateKey
    ) -> IssuedCertificate:
        if not _AGENCY_CODE.fullmatch(request.agency_code):
            raise PkiError(f"Not an agency code: {request.agency_code!r}.")
        certificate = leaf_certificate(
            request.subject(),
            request.kind,
            key.public_key(),
            self._issuer(),
            now=now,
            validity=validity,
            published=self.publication("intermediate"),
        )
        entry = IssuedCertificate(
            id=self._next_id(request),
            serial=certificate.serial_number,
            kind=request.kind,
            agency_code=request.agency_code,
            subject=certificate.subject.rfc4514_string(),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
        )
        _write_pair(self._issued(entry.id, ""), certificate, key)
        self._entries.append(entry)
        return entry

    def _next_id(self, request: CertificateRequest) -> str:
        same = [
            e
            for e in self._entries
            if (e.agency_code, e.kind) == (request.agency_code, request.kind)
        ]
        return f"{request.agency_code}.{request.kind.value}.{len(same) + 1}"

    def _agency_name(self, agency_code: str) -> str:
        entry = self.current(agency_code, CertificateKind.ORGANISATION)
        organisation = self.certificate(entry.id).subject.get_attributes_for_oid(
            x509.NameOID.ORGANIZATION_NAME
        )
        return str(organisation[0].value)

    def _tsa_pair(self) -> Issuer:
        """The TSA's certificate and key, issued when first wanted (valid from the CA's start:
        PKIs made before the TSA existed get one that dates any of their signatures)."""
        stem = self.directory / "ca" / "tsa"
        if not stem.with_suffix(".pem").exists():
            key = generate_key(self.algorithm)
            certificate = tsa_certificate(
                TSA,
                key.public_key(),
                self._issuer(),
                now=self.intermediate.not_valid_before_utc + timedelta(minutes=5),
                validity=_TSA_VALIDITY,
                published=self.publication("intermediate"),
            )
            _write_pair(stem, certificate, key)
        certificate = _read_certificate(stem.with_suffix(".pem"))
        return certificate, read_private_key(stem.with_suffix(".key"))

    def _issuer(self) -> Issuer:
        if self._ca_key is None:
            self._ca_key = read_private_key(self.directory / "ca" / "intermediate.key")
        return self.intermediate, self._ca_key

    def _issued(self, entry_id: str, suffix: str) -> Path:
        return self.directory / "issued" / f"{entry_id}{suffix}"

    @property
    def _index_path(self) -> Path:
        return self.directory / "index.json"

    def _save(self) -> None:
        self._index["certificates"] = [e.to_json() for e in self._entries]
        _write_json(self._index_path, self._index)


def _publication(base_url: str, ca: str) -> Publication:
    return Publication(f"{base_url}/{ca}.crl", f"{base_url}/{ca}.cer", f"{base_url}/ocsp")


def _generate_keys(algorithm: KeyAlgorithm, count: int) -> list[PrivateKey]:
    if algorithm is not KeyAlgorithm.RSA_2048 or count < 8:
        return [generate_key(algorithm) for _ in range(count)]
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        encoded = list(pool.map(_rsa_key_der, range(count), chunksize=4))
    return [
        cast(PrivateKey, load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True))
        for der in encoded
    ]


def _rsa_key_der(_: int) -> bytes:
    key = generate_key(KeyAlgorithm.RSA_2048)
    return key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())


def _write_pair(stem: Path, certificate: x509.Certificate, key: PrivateKey) -> None:
    write_private_key(stem.with_name(stem.name + ".key"), key)
    stem.with_name(stem.name + ".pem").write_bytes(certificate.public_bytes(Encoding.PEM))


def _read_certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)
