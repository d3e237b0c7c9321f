"""Check the SignerInfos of a CMS SignedData (RFC 5652 §5.4-5.6) over given content.

`der` reads the structure, `cryptography` verifies, `TrustStore` judges the certificate.
Used for detached CMS files and for the CMS inside each PDF signature.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from asn1crypto import core
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from signing.algorithms import digest_name, signature_mechanism
from signing.attributes import ID_DATA, TST_INFO, SignedAttributes, read_attributes
from signing.der import SignedDataView, SignerInfoView, children, contents
from signing.keys import PublicKey
from signing.profiles import identity_of
from signing.timestamps import TimestampToken, read_token
from signing.trust import TrustStore
from signing.verify import Problem, VerificationResult

__all__ = ["Content", "verify_signer_infos"]

_STRONG = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {**_STRONG, "sha1": hashes.SHA1}


@dataclass(slots=True)
class Content:
    """The signed bytes, in pieces (a PDF's byte ranges), hashed once per algorithm."""

    pieces: Sequence[bytes | memoryview]
    _digests: dict[str, bytes] = field(default_factory=dict)

    def digest(self, algorithm: str) -> bytes:
        if algorithm not in self._digests:
            hasher = hashlib.new(algorithm)
            for piece in self.pieces:
                hasher.update(piece)
            self._digests[algorithm] = hasher.digest()
        return self._digests[algorithm]


def verify_signer_infos(
    signed_data: SignedDataView,
    content: Content,
    trust: TrustStore,
    now: datetime,
    *,
    document_id: str | None = None,
    claimed_time: datetime | None = None,
    signed_for: str | None = None,
    content_type: bytes | None = ID_DATA,
) -> list[VerificationResult]:
    """One result per SignerInfo, in order. `claimed_time`: a PDF's /M, when no signingTime;
    `signed_for`: the document id the signed bytes name (PAdES: in /Reason), when the CMS
    carries no content identifier. A signature-time-stamp token that verifies dates the
    signature: expiry and revocation are then judged at its time."""
    try:
        certificates = [trust.certificate(der) for der in signed_data.certificates]
    except ValueError as error:
        reason = f"A certificate in the signature cannot be read: {error}."
        return [VerificationResult.failed(Problem.UNVERIFIABLE_CERTIFICATE, reason)]
    check = _Check(
        content, trust, now, document_id, claimed_time, certificates, signed_for, content_type
    )
    return [check.signer_info(info) for info in signed_data.signer_infos]


def _malformed(error: Exception) -> VerificationResult:
    return VerificationResult.failed(Problem.MALFORMED, f"Unreadable signer information: {error}.")


@dataclass(frozen=True, slots=True)
class _Check:
    content: Content
    trust: TrustStore
    now: datetime
    document_id: str | None
    claimed_time: datetime | None
    certificates: list[x509.Certificate]
    signed_for: str | None = None
    content_type: bytes | None = ID_DATA

    def signer_info(self, info: SignerInfoView) -> VerificationResult:
        try:
            return self._signer_info(info)
        except (ValueError, IndexError) as error:  # what asn1crypto raises on bad encodings
            return _malformed(error)

    def _signer_info(self, info: SignerInfoView) -> VerificationResult:
        digest = digest_name(info.digest_algorithm)
        if digest not in _HASHES:
            reason = f"Digest algorithm {digest} is not supported."
            return VerificationResult.failed(Problem.UNSUPPORTED_ALGORITHM, reason)
        leaf = _signer_certificate(info.sid, self.certificates)
        if leaf is None:
            reason = "The signer's certificate is not in the signature."
            return VerificationResult.failed(Problem.UNVERIFIABLE_CERTIFICATE, reason)
        attributes = (
            read_attributes(info.signed_attrs, self.content_type) if info.signed_attrs else None
        )
        if attributes is None:
            reason = "The signature lacks signed attributes of the expected content type."
            return VerificationResult.failed(Problem.MALFORMED, reason)
        return self._judge(info, digest, leaf, attributes)

    def _judge(
        self,
        info: SignerInfoView,
        digest: str,
        leaf: x509.Certificate,
        attributes: SignedAttributes,
    ) -> VerificationResult:
        signature_ok, signature_hash = _signature_ok(info, digest, leaf)
        bytes_match = attributes.message_digest == self.content.digest(digest)
        ess_ok = attributes.certificate_hash in (None, _sha256(leaf))
        stamped = self._attested_time(info)
        signing_time = stamped or attributes.signing_time or self.claimed_time or self.now
        others = [c for c in self.certificates if c is not leaf]
        trust = self.trust.check(
            leaf, others, signing_time=signing_time, now=self.now, attested=stamped is not None
        )
        algorithm_ok = digest in _STRONG and signature_hash in _STRONG
        problem, reason = _first_problem(
            self._integrity(bytes_match, signature_ok and ess_ok, attributes),
            (trust.problem, trust.reason),
            (None if algorithm_ok else Problem.WEAK_ALGORITHM, _weak(digest, signature_hash)),
        )
        identity = identity_of(leaf)
        return VerificationResult(
            intact=bytes_match and signature_ok and ess_ok,
            chain_trusted=trust.chain_trusted,
            time_valid=trust.time_valid,
            not_revoked=trust.not_revoked,
            algorithm_ok=algorithm_ok,
            problem=problem,
            reason=reason or f"Valid signature by {identity.signer}.",
            signer=identity.signer,
            organisation=identity.organisation,
            agency_code=identity.agency_code,
            kind=identity.kind,
            signing_time=signing_time,
            serial=leaf.serial_number,
            timestamp=stamped,
        )

    def _attested_time(self, info: SignerInfoView) -> datetime | None:
        """The time of a timestamp token over this signature value, if one verifies: its
        imprint matches, the TSA's signature holds and its certificate (time-stamping
        usage) is trusted. A token that does not verify is ignored: it earns nothing."""
        try:
            token = read_token(info.unsigned_attrs)
        except (ValueError, IndexError, KeyError, TypeError):
            return None
        if token is None:
            return None
        if hashlib.new(token.imprint_algorithm, info.signature).digest() != token.imprint:
            return None
        return token.gen_time if self._tsa_vouches(token) else None

    def _tsa_vouches(self, token: TimestampToken) -> bool:
        results = verify_signer_infos(
            token.signed_data,
            Content([token.info]),
            self.trust,
            self.now,
            claimed_time=token.gen_time,
            content_type=TST_INFO,
        )
        if len(results) != 1 or not results[0].valid:
            return False
        serial = results[0].serial
        tsa = next(
            (c for c in map(self.trust.certificate, token.signed_data.certificates)
             if c.serial_number == serial),
            None,
        )  # fmt: skip
        return tsa is not None and _time_stamping(tsa)

    def _integrity(
        self, bytes_match: bool, signature_ok: bool, attributes: SignedAttributes
    ) -> tuple[Problem | None, str]:
        signed_for = attributes.content_identifier
        if signed_for is None and self.signed_for is not None:
            signed_for = self.signed_for.encode("utf-8")
        expected = None if self.document_id is None else self.document_id.encode("utf-8")
        if expected is not None and signed_for is not None and signed_for != expected:
            named = signed_for.decode("utf-8", "replace")
            return Problem.SIGNATURE_MISMATCH, (
                f"The signature was made for document {named}, not {self.document_id}."
            )
        if not bytes_match:
            return Problem.TAMPERED, "The signed bytes were changed after signing."
        if not signature_ok:
            return Problem.SIGNATURE_INVALID, "The signature value does not match the certificate."
        return None, ""


def _time_stamping(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return x509.oid.ExtendedKeyUsageOID.TIME_STAMPING in usage


def _first_problem(*checks: tuple[Problem | None, str]) -> tuple[Problem | None, str]:
    return next(((p, r) for p, r in checks if p is not None), (None, ""))


def _weak(digest: str, signature_hash: str) -> str:
    return f"Weak algorithm: digest {digest}, signature hash {signature_hash} (SHA-1 is broken)."


def _signer_certificate(
    sid: bytes, certificates: list[x509.Certificate]
) -> x509.Certificate | None:
    """The certificate `sid` names: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier."""
    if sid[0] != 0x30:
        key_id = contents(sid)
        return next((c for c in certificates if _key_id(c) == key_id), None)
    issuer, number = _issuer_and_serial(sid)
    return next(
        (c for c in certificates if c.serial_number == number and _issuer_der(c) == issuer), None
    )


@lru_cache(maxsize=4096)  # the same for every signature a signer makes
def _issuer_and_serial(sid: bytes) -> tuple[bytes, int]:
    issuer, serial = children(contents(sid))[:2]
    return issuer, int(core.Integer.load(serial).native)


@lru_cache(maxsize=4096)
def _key_id(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value.digest
    except x509.ExtensionNotFound:
        return None


@lru_cache(maxsize=4096)
def _sha256(certificate: x509.Certificate) -> bytes:
    return certificate.fingerprint(hashes.SHA256())


@lru_cache(maxsize=4096)
def _issuer_der(certificate: x509.Certificate) -> bytes:
    return certificate.issuer.public_bytes()


def _signature_ok(info: SignerInfoView, digest: str, leaf: x509.Certificate) -> tuple[bool, str]:
    """Whether the signature over the signed attributes verifies, and its hash."""
    mechanism, hash_name = signature_mechanism(info.signature_algorithm, digest)
    hash_type = _HASHES.get(hash_name)
    if hash_type is None or info.signed_attrs is None:
        return False, hash_name
    public_key = leaf.public_key()
    try:
        _verify(public_key, info.signature, info.signed_attrs, mechanism, hash_type())
    except (InvalidSignature, ValueError, TypeError):
        return False, hash_name
    return True, hash_name


def _verify(
    public_key: object,
    signature: bytes,
    data: bytes,
    mechanism: str,
    hash_algorithm: hashes.HashAlgorithm,
) -> None:
    key: PublicKey | object = public_key
    if isinstance(key, rsa.RSAPublicKey) and mechanism == "rsassa_pkcs1v15":
        key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
    elif isinstance(key, rsa.RSAPublicKey) and mechanism == "rsassa_pss":
        pss = padding.PSS(padding.MGF1(hash_algorithm), padding.PSS.AUTO)
        key.verify(signature, data, pss, hash_algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey) and mechanism == "ecdsa":
        key.verify(signature, data, ec.ECDSA(hash_algorithm))
    else:
        raise ValueError(f"{mechanism} does not fit the certificate's key")
