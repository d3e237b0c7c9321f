"""What a verifier trusts: root CAs, known intermediates and the current CRLs, with caches.

Caching, and why a revocation is never missed:
- parsed certificates are cached by their DER bytes (a certificate's bytes never change);
- verified paths are cached by (leaf, the intermediates the signature carried). A cached
  path holds only facts that neither time nor revocation can change: the signatures along
  the path, the CA constraints and key usages, checked by `cryptography`'s verifier at a
  moment when every certificate on it was valid. Validity at the signing time is re-checked
  on every call (a few datetime comparisons);
- revocation is not cached with the path: each check looks each certificate's serial up in
  the CRL currently installed for its issuer (a dict lookup). `update_crls()` swaps the
  whole CRL map in one assignment, so the very next check sees a new revocation. Parsed
  CRLs are cached by their DER bytes, so a re-issued CRL (new number, new bytes) is parsed
  and its signature checked once, and an unchanged one costs nothing.
A CRL missing for an issuer, or past its nextUpdate, makes the answer "revocation_unknown".

A certificate counts as revoked once its revocation time is past as of `now`, whatever the
signing time: without an RFC 3161 timestamp the signing time is the signer's own claim, and
a signature made before a revocation cannot be told from one back-dated after it. With a
trusted timestamp (`attested`), expiry and revocation are judged at the timestamp's time: a
signature dated before its certificate was revoked, or expired, stays valid. Without one, the
certificates must be valid at the claimed signing time and still at `now`.
Thread-safe in the CPython sense: caches are plain dicts, a race only computes twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

from signing.crl import ParsedCrl, load_crls, parse_crl
from signing.verify import Problem

__all__ = ["CertificateCheck", "TrustStore"]

_EE_POLICY = ExtensionPolicy.permit_all()  # no EKU on document-signing certificates
_CA_POLICY = ExtensionPolicy.webpki_defaults_ca()
_MAX_DEPTH = 6
_SKEW = timedelta(minutes=5)
_CRL_KEYS = (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    chain_trusted: bool
    time_valid: bool
    not_revoked: bool
    problem: Problem | None
    reason: str


@dataclass(frozen=True, slots=True)
class _Path:
    chain: tuple[x509.Certificate, ...]  # leaf first, root last; just the leaf if untrusted
    issuers: tuple[bytes, ...]  # DER of each certificate's issuer (CRL keys), root excluded
    problem: Problem | None = None
    reason: str = ""


class TrustStore:
    def __init__(
        self,
        roots: Sequence[x509.Certificate],
        intermediates: Sequence[x509.Certificate] = (),
        crls: Iterable[x509.CertificateRevocationList] = (),
        *,
        cache_size: int = 10_000,
    ) -> None:
        self._roots = tuple(roots)
        self._intermediates = tuple(intermediates)
        self._store = Store(list(self._roots))
        self._cache_size = cache_size
        self._certificates: dict[bytes, x509.Certificate] = {}
        self._paths: dict[tuple[x509.Certificate, frozenset[x509.Certificate]], _Path] = {}
        self._parsed_crls: dict[bytes, tuple[bytes, ParsedCrl] | None] = {}
        self._crls: dict[bytes, ParsedCrl] = {}
        self.update_crls(crls)

    @classmethod
    def from_pem(cls, bundle: bytes, crls: bytes = b"") -> TrustStore:
        """Self-signed certificates in `bundle` are roots, the others intermediates."""
        certificates = x509.load_pem_x509_certificates(bundle)
        roots = [c for c in certificates if c.subject == c.issuer]
        others = [c for c in certificates if c.subject != c.issuer]
        return cls(roots, others, load_crls(crls) if crls.strip() else ())

    def update_crls(self, crls: Iterable[x509.CertificateRevocationList]) -> None:
        """Install the current CRLs (replacing all earlier ones); see the module docstring."""
        installed: dict[bytes, ParsedCrl] = {}
        for crl in crls:
            found = self._verified_crl(crl)
            if found is not None and _newer(found[1], installed.get(found[0])):
                installed[found[0]] = found[1]
        self._crls = installed

    def certificate(self, der: bytes) -> x509.Certificate:
        """Parse `der` once; raises ValueError for bytes that are not a certificate."""
        found = self._certificates.get(der)
        if found is None:
            found = x509.load_der_x509_certificate(der)
            self._remember(self._certificates, der, found)
        return found

    def check(
        self,
        leaf: x509.Certificate,
        carried: Sequence[x509.Certificate] = (),
        *,
        signing_time: datetime,
        now: datetime,
        attested: bool = False,
    ) -> CertificateCheck:
        """Trust, validity at `signing_time` and revocation of `leaf`: as of `now`, or as of
        `signing_time` when a trusted timestamp `attested` it (the CRL still current now)."""
        path = self._path(leaf, carried)
        time_problem, time_reason = _time_problem(path.chain, signing_time, now)
        if time_problem is None and not attested:
            time_problem, time_reason = _expired_by_now(path.chain, now)
        if path.problem is not None:
            return CertificateCheck(False, time_problem is None, False, path.problem, path.reason)
        as_of = signing_time if attested else now
        revocation_problem, revocation_reason = self._revocation_problem(path, now, as_of)
        problem = time_problem or revocation_problem
        reason = time_reason if time_problem else revocation_reason
        return CertificateCheck(
            True, time_problem is None, revocation_problem is None, problem, reason
        )

    def _path(self, leaf: x509.Certificate, carried: Sequence[x509.Certificate]) -> _Path:
        key = (leaf, frozenset(carried))  # certificates hash and compare by their DER
        found = self._paths.get(key)
        if found is None:
            found = self._build_path(leaf, [*self._intermediates, *carried])
            self._remember(self._paths, key, found)
        return found

    def _build_path(self, leaf: x509.Certificate, intermediates: list[x509.Certificate]) -> _Path:
        refused = _leaf_refusal(leaf)
        if refused:
            return _Path((leaf,), (), Problem.UNTRUSTED_CHAIN, refused)
        ancestors = _ancestors(leaf, [*intermediates, *self._roots])
        if not any(root in ancestors for root in self._roots):
            return _Path((leaf,), (), Problem.UNKNOWN_ISSUER, _unknown(leaf))
        moment = max(c.not_valid_before_utc for c in [leaf, *ancestors])
        if moment > min(c.not_valid_after_utc for c in [leaf, *ancestors]):
            return self._outside_its_issuers(leaf, ancestors)
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(moment)
            .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
            .build_client_verifier()
        )
        try:
            chain = tuple(verifier.verify(leaf, intermediates).chain)
        except VerificationError as error:
            reason = f"The certificate does not chain to a trusted root: {error}."
            return _Path((leaf,), (), Problem.UNTRUSTED_CHAIN, reason)
        return _Path(chain, tuple(c.public_bytes(Encoding.DER) for c in chain[1:]))

    def _outside_its_issuers(
        self, leaf: x509.Certificate, ancestors: list[x509.Certificate]
    ) -> _Path:
        """No moment when the leaf and its CAs are all valid (a leaf expired before its CA
        was made): if each certificate is signed by the next, the leaf is expired (or not
        yet valid), as openssl says, rather than untrusted."""
        certificate = leaf
        while certificate not in self._roots:
            issuer = next((c for c in ancestors if _claims(certificate, c)), None)
            try:
                if issuer is None or issuer is certificate:
                    raise ValueError("no issuer")
                certificate.verify_directly_issued_by(issuer)
            except (ValueError, TypeError, InvalidSignature):
                return _Path((leaf,), (), Problem.UNTRUSTED_CHAIN, _unknown(leaf))
            certificate = issuer
        first = min([leaf, *ancestors], key=lambda c: c.not_valid_after_utc)
        reason = f"{_name(first)} expired at {first.not_valid_after_utc}."
        return _Path((leaf,), (), Problem.EXPIRED, reason)

    def _revocation_problem(
        self, path: _Path, now: datetime, as_of: datetime
    ) -> tuple[Problem | None, str]:
        for certificate, issuer in zip(path.chain, path.issuers, strict=False):
            crl = self._crls.get(issuer)
            if crl is None or not crl.is_current(now):
                state = "no current CRL" if crl is None else "only an outdated CRL"
                return Problem.REVOCATION_UNKNOWN, (
                    f"There is {state} from {certificate.issuer.rfc4514_string()}."
                )
            revoked_at = crl.revoked.get(certificate.serial_number)
            if revoked_at is not None and revoked_at <= as_of:
                name = certificate.subject.rfc4514_string()
                return Problem.REVOKED, f"{name} was revoked at {revoked_at:%Y-%m-%d %H:%M}Z."
        return None, "Not revoked."

    def _verified_crl(self, crl: x509.CertificateRevocationList) -> tuple[bytes, ParsedCrl] | None:
        der = crl.public_bytes(Encoding.DER)
        if der not in self._parsed_crls:
            issuer = next((ca for ca in self._cas() if _signed(crl, ca)), None)
            parsed = (issuer.public_bytes(Encoding.DER), parse_crl(crl)) if issuer else None
            self._remember(self._parsed_crls, der, parsed)
        return self._parsed_crls.get(der)

    def _cas(self) -> tuple[x509.Certificate, ...]:
        return (*self._roots, *self._intermediates)

    def _remember(self, cache: dict[K, V], key: K, value: V) -> None:
        if len(cache) >= self._cache_size:  # crude bound: start afresh
            cache.clear()
        cache[key] = value


def _ancestors(
    leaf: x509.Certificate, candidates: list[x509.Certificate]
) -> list[x509.Certificate]:
    """The CA certificates that claim, by name and key identifier, to be above `leaf`
    (signatures unchecked: that is the verifier's job)."""
    found: list[x509.Certificate] = []
    below = [leaf]
    for _ in range(_MAX_DEPTH):
        step = [c for c in candidates if c not in found and any(_claims(b, c) for b in below)]
        if not step:
            break
        found += step
        below = [c for c in step if c.issuer != c.subject]
    return found


def _claims(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if certificate.issuer != issuer.subject:
        return False
    wanted, offered = _key_ids(certificate, issuer)
    return wanted is None or offered is None or wanted == offered


def _key_ids(
    certificate: x509.Certificate, issuer: x509.Certificate
) -> tuple[bytes | None, bytes | None]:
    try:
        wanted = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
        wanted_id = wanted.value.key_identifier
    except x509.ExtensionNotFound:
        wanted_id = None
    try:
        offered_id = issuer.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value.digest
    except x509.ExtensionNotFound:
        offered_id = None
    return wanted_id, offered_id


def _signed(crl: x509.CertificateRevocationList, ca: x509.Certificate) -> bool:
    if crl.issuer != ca.subject:
        return False
    public_key = ca.public_key()
    return isinstance(public_key, _CRL_KEYS) and crl.is_signature_valid(public_key)


def _newer(candidate: ParsedCrl, current: ParsedCrl | None) -> bool:
    return current is None or candidate.this_update > current.this_update


def _leaf_refusal(leaf: x509.Certificate) -> str:
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        constraints = leaf.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return "The certificate lacks KeyUsage or BasicConstraints: not a signing certificate."
    if constraints.ca or not (usage.digital_signature or usage.content_commitment):
        return "The certificate is not issued for signing documents."
    return ""


def _unknown(leaf: x509.Certificate) -> str:
    return f"Issued by {leaf.issuer.rfc4514_string()}, which no trusted root vouches for."


def _time_problem(
    chain: Sequence[x509.Certificate], signing_time: datetime, now: datetime
) -> tuple[Problem | None, str]:
    if signing_time > now + _SKEW:
        return Problem.NOT_YET_VALID, f"The claimed signing time {signing_time} is in the future."
    for certificate in chain:
        if signing_time > certificate.not_valid_after_utc:
            return Problem.EXPIRED, (
                f"{_name(certificate)} expired at {certificate.not_valid_after_utc}, before the "
                f"signing time {signing_time}."
            )
        if signing_time < certificate.not_valid_before_utc:
            return Problem.NOT_YET_VALID, (
                f"{_name(certificate)} is valid from {certificate.not_valid_before_utc}, after the "
                f"signing time {signing_time}."
            )
    return None, ""


def _expired_by_now(chain: Sequence[x509.Certificate], now: datetime) -> tuple[Problem | None, str]:
    """Without a trusted timestamp the signing time is a claim: the certificates must still be
    valid now (what openssl, pdfsig and pyHanko check too)."""
    for certificate in chain:
        if now > certificate.not_valid_after_utc:
            return Problem.EXPIRED, (
                f"{_name(certificate)} expired at {certificate.not_valid_after_utc}, and no "
                "trusted timestamp shows the signature was made before."
            )
    return None, ""


def _name(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()
