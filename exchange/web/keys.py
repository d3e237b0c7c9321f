"""The agencies' signing keys, as their tokens would hold them: the PKI's leader (person) and
organisation certificates, chosen valid and unrevoked at the moment of signing, issued the
first time an agency needs them (a demo starts without issuing any), plus the throwaway
certificates the lessons issue (expired, revoked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.x509.oid import NameOID

from exchange.certificates import requests_for
from exchange.domain.agencies import Agency
from signing import CertificateKind, IssuedCertificate, Pki, PkiError, Signer

__all__ = ["Keys", "PersonKey"]

_SKEW = timedelta(minutes=5)  # certificates start this long before their issuing moment


@dataclass(frozen=True, slots=True)
class PersonKey:
    id: str
    name: str
    position: str


class Keys:
    def __init__(
        self,
        directory: Path,
        clock: Callable[[], datetime],
        agency_of: Callable[[str], Agency] | None = None,
    ) -> None:
        """`agency_of`: how to name an agency whose certificates are issued on first need
        (None: only what the PKI already holds)."""
        self.directory = directory
        self.clock = clock
        self.agency_of = agency_of
        self._lock = threading.Lock()
        self._pki: Pki | None = None
        self._stamp = 0

    def pki(self) -> Pki:
        """The PKI, reopened when its index changed (`eoffice pki revoke` elsewhere)."""
        stamp = (self.directory / "index.json").stat().st_mtime_ns
        with self._lock:
            if self._pki is None or stamp != self._stamp:
                self._pki, self._stamp = Pki(self.directory), stamp
            return self._pki

    def ensure(self, agency: str) -> None:
        """Issue the agency's organisation and leader certificates if it holds no usable one."""
        if self.agency_of is None:
            return
        now = self.clock()
        with self._lock:
            pki = Pki(self.directory)
            requests = requests_for(pki, [self.agency_of(agency)], now)
            if requests:
                pki.issue_many(requests, now)
                pki.publish(now)
                self._pki = None

    def people(self, agency: str) -> list[PersonKey]:
        """The agency's person certificates usable now (valid, not revoked)."""
        self.ensure(agency)
        pki = self.pki()
        return [self._person(pki, e) for e in self._usable(pki, agency, CertificateKind.PERSON)]

    def person(self, agency: str, key_id: str) -> Signer:
        pki = self.pki()
        entry = pki.entry(key_id)
        if (entry.agency_code, entry.kind) != (agency, CertificateKind.PERSON):
            raise PkiError(f"{key_id} is not a person certificate of {agency}.")
        return pki.signer(entry.id)

    def organisation(self, agency: str) -> Signer:
        self.ensure(agency)
        pki = self.pki()
        usable = self._usable(pki, agency, CertificateKind.ORGANISATION)
        if not usable:
            raise PkiError(f"{agency} holds no usable organisation certificate.")
        return pki.signer(usable[0].id)

    def lesson_person(
        self, agency: str, agency_name: str, name: str, position: str, *, problem: str
    ) -> PersonKey:
        """A deputy's certificate for a lesson: `expired` (valid for one minute right after
        the CA was set up, long over) or `revoked` (revoked at once, the CRL published)."""
        now = self.clock()
        with self._lock:
            pki = Pki(self.directory)
            start, validity = now, timedelta(days=365)
            if problem == "expired":
                start = pki.intermediate.not_valid_before_utc + _SKEW + timedelta(seconds=1)
                validity = timedelta(minutes=1) - _SKEW  # not after: 4 minutes before `start`
            issued = pki.issue_person(
                agency, name, position, start, agency_name=agency_name, validity=validity
            )
            if problem == "revoked":
                pki.revoke(issued.id, now)
            pki.publish(now)
            self._pki = None
        return PersonKey(issued.id, name, position)

    def keep_crl_fresh(self, max_age: timedelta = timedelta(days=1)) -> None:
        """Publish a new CRL when the current one is a day old: a CRL is valid for a week,
        and a demo may run longer than that."""
        crl = self.directory / "public" / "crl.pem"
        age = self.clock().timestamp() - crl.stat().st_mtime if crl.exists() else None
        if age is None or age > max_age.total_seconds():
            with self._lock:
                Pki(self.directory).publish(self.clock())
                self._pki = None

    def _usable(self, pki: Pki, agency: str, kind: CertificateKind) -> list[IssuedCertificate]:
        now = self.clock()
        return [
            e
            for e in pki.entries()
            if (e.agency_code, e.kind) == (agency, kind)
            and e.revoked_at is None
            and e.not_before <= now <= e.not_after
        ]

    @staticmethod
    def _person(pki: Pki, entry: IssuedCertificate) -> PersonKey:
        subject = pki.certificate(entry.id).subject
        name = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        title = subject.get_attributes_for_oid(NameOID.TITLE)
        return PersonKey(
            entry.id,
            str(name[0].value) if name else entry.id,
            str(title[0].value) if title else "",
        )
