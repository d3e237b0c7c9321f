"""Certificate profiles of the test PKI, shaped like the government's:
root -> "CA phục vụ các cơ quan Nhà nước" -> organisation and person (leader) certificates.

Leaves carry digitalSignature + nonRepudiation, CAs keyCertSign + cRLSign; every certificate
has SKI/AKI and, below the root, where its issuer publishes (`Publication`): a CRL
distribution point, an OCSP responder and a CA-issuers address (authority information
access). Subjects: O = agency name, OU = agency code, CN = the agency's name (organisation)
or the leader's (person, with title).
The kind is a certificate policy; the CA certificates carry anyPolicy. The time-stamping
authority's certificate has the critical extended key usage id-kp-timeStamping.

The policy OIDs sit under 1.3.6.1.4.1.32473, the enterprise number IANA keeps for
documentation (RFC 5612): short, decoded by every tool (pkilint refuses 2.25 and 2.999, whose
first arcs do not fit one byte), and never a real authority's. Arc .1 is this simulator:
    1.3.6.1.4.1.32473.1.1.1  organisation certificate policy  (chứng thư số của cơ quan, tổ chức)
    1.3.6.1.4.1.32473.1.1.2  person certificate policy        (chứng thư số của cá nhân)
    1.3.6.1.4.1.32473.1.2.1  time-stamping policy (the TSTInfo policy of every timestamp)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from signing.keys import PrivateKey, PublicKey

__all__ = [
    "TSA_POLICY",
    "CertificateKind",
    "Identity",
    "Issuer",
    "Publication",
    "Subject",
    "ca_certificate",
    "identity_of",
    "leaf_certificate",
    "policy_oid",
    "tsa_certificate",
]

_ARC = "1.3.6.1.4.1.32473.1"
_POLICIES = {
    "org": x509.ObjectIdentifier(f"{_ARC}.1.1"),
    "person": x509.ObjectIdentifier(f"{_ARC}.1.2"),
}
TSA_POLICY = x509.ObjectIdentifier(f"{_ARC}.2.1")
_CLOCK_SKEW = timedelta(minutes=5)

Issuer = tuple[x509.Certificate, PrivateKey]  # a CA's certificate and its key


class CertificateKind(StrEnum):
    ORGANISATION = "org"
    PERSON = "person"


_LEGACY_ARC = "2.25.130654522627745888514305188035395018757"  # PKIs made before: still read
_KINDS = {
    **{oid: CertificateKind(kind) for kind, oid in _POLICIES.items()},
    x509.ObjectIdentifier(f"{_LEGACY_ARC}.1"): CertificateKind.ORGANISATION,
    x509.ObjectIdentifier(f"{_LEGACY_ARC}.2"): CertificateKind.PERSON,
}


def policy_oid(kind: CertificateKind) -> x509.ObjectIdentifier:
    return _POLICIES[kind.value]


_UB_NAME = 64


@dataclass(frozen=True, slots=True)
class Publication:
    """Where an issuing CA publishes what relying parties fetch: its CRL, its own certificate
    (DER) and its OCSP responder."""

    crl: str
    ca_issuers: str
    ocsp: str

    def extensions(self) -> list[x509.ExtensionType]:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(self.crl)], None, None, None)
        access = x509.AuthorityInformationAccess(
            [
                x509.AccessDescription(AuthorityInformationAccessOID.OCSP, _uri(self.ocsp)),
                x509.AccessDescription(
                    AuthorityInformationAccessOID.CA_ISSUERS, _uri(self.ca_issuers)
                ),
            ]
        )
        return [x509.CRLDistributionPoints([point]), access]


def _uri(value: str) -> x509.UniformResourceIdentifier:
    return x509.UniformResourceIdentifier(value)


@dataclass(frozen=True, slots=True)
class Subject:
    common_name: str
    organisation: str | None = None
    agency_code: str | None = None
    title: str | None = None

    def name(self) -> x509.Name:
        parts = [(NameOID.COUNTRY_NAME, "VN"), (NameOID.ORGANIZATION_NAME, self.organisation)]
        parts += [(NameOID.ORGANIZATIONAL_UNIT_NAME, self.agency_code), (NameOID.TITLE, self.title)]
        parts.append((NameOID.COMMON_NAME, self.common_name))
        return x509.Name([x509.NameAttribute(oid, _bounded(oid, v)) for oid, v in parts if v])


def _bounded(oid: x509.ObjectIdentifier, value: str) -> str:
    """RFC 5280's upper bounds (ub-organization-name, ub-common-name...) are 64 characters;
    longer agency names are cut, the agency's code (OU) stays whole. The common name alone is
    held to 64 UTF-8 bytes: cryptography, which every verifier here uses, refuses a longer
    one and warns on reading it. The organisation name (O) keeps 64 characters."""
    if oid != NameOID.COMMON_NAME:
        return value if len(value) <= _UB_NAME else value[: _UB_NAME - 1] + "…"
    if len(value.encode()) <= _UB_NAME:
        return value
    while len(value.encode()) > _UB_NAME - len("…".encode()):
        value = value[:-1]
    return value + "…"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a certificate names, as a verification result reports it."""

    signer: str | None
    organisation: str | None
    agency_code: str | None
    kind: CertificateKind | None


def ca_certificate(
    subject: Subject,
    key: PrivateKey,
    issuer: Issuer | None,
    *,
    now: datetime,
    validity: timedelta,
    published: Publication | None,
) -> x509.Certificate:
    """A root (issuer None: signed with its own `key`) or an intermediate CA."""
    public = key.public_key()
    builder = _base(subject.name(), public, now, validity).add_extension(
        x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True
    )
    builder = builder.add_extension(_key_usage(ca=True), critical=True)
    builder = builder.add_extension(_ca_policies(root=issuer is None), critical=False)
    signer = (subject.name(), key) if issuer is None else (issuer[0].subject, issuer[1])
    return _finish(builder, signer, published)


def _end_entity(
    subject: Subject, key: PublicKey, now: datetime, validity: timedelta
) -> x509.CertificateBuilder:
    """What every certificate that is not a CA starts with: not a CA, signing key usage."""
    builder = _base(subject.name(), key, now, validity)
    builder = builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    )
    return builder.add_extension(_key_usage(ca=False), critical=True)


def leaf_certificate(
    subject: Subject,
    kind: CertificateKind,
    key: PublicKey,
    issuer: Issuer,
    *,
    now: datetime,
    validity: timedelta,
    published: Publication,
) -> x509.Certificate:
    builder = _end_entity(subject, key, now, validity)
    policy = x509.PolicyInformation(policy_oid(kind), None)
    builder = builder.add_extension(x509.CertificatePolicies([policy]), critical=False)
    return _finish(builder, (issuer[0].subject, issuer[1]), published)


def tsa_certificate(
    subject: Subject,
    key: PublicKey,
    issuer: Issuer,
    *,
    now: datetime,
    validity: timedelta,
    published: Publication,
) -> x509.Certificate:
    """RFC 3161 §2.3: the only extended key usage is id-kp-timeStamping, and it is critical."""
    builder = _end_entity(subject, key, now, validity)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
    )
    policy = x509.PolicyInformation(TSA_POLICY, None)
    builder = builder.add_extension(x509.CertificatePolicies([policy]), critical=False)
    return _finish(builder, (issuer[0].subject, issuer[1]), published)


def _base(
    name: x509.Name, key: PublicKey, now: datetime, validity: timedelta
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + validity)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
    )


def _finish(
    builder: x509.CertificateBuilder,
    issuer: tuple[x509.Name, PrivateKey],
    published: Publication | None,
) -> x509.Certificate:
    name, key = issuer
    builder = builder.issuer_name(name).add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
    )
    for extension in published.extensions() if published else ():
        builder = builder.add_extension(extension, critical=False)
    return builder.sign(key, hashes.SHA256())


def _ca_policies(*, root: bool) -> x509.CertificatePolicies:
    """The root: anyPolicy; the intermediate: the policies it issues under, so that RFC 5280
    policy processing (`openssl verify -explicit_policy -policy OID`) holds for each kind."""
    any_policy = x509.ObjectIdentifier("2.5.29.32.0")
    oids = [any_policy] if root else [*_POLICIES.values(), TSA_POLICY]
    return x509.CertificatePolicies([x509.PolicyInformation(oid, None) for oid in oids])


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@lru_cache(maxsize=4096)
def identity_of(certificate: x509.Certificate) -> Identity:
    subject = certificate.subject
    return Identity(
        signer=_attribute(subject, NameOID.COMMON_NAME),
        organisation=_attribute(subject, NameOID.ORGANIZATION_NAME),
        agency_code=_attribute(subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
        kind=_kind(certificate),
    )


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    found = name.get_attributes_for_oid(oid)
    value = found[0].value if found else None
    return value if isinstance(value, str) else None


def _kind(certificate: x509.Certificate) -> CertificateKind | None:
    try:
        policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        return None
    kinds = [_KINDS[p.policy_identifier] for p in policies if p.policy_identifier in _KINDS]
    return kinds[0] if kinds else None
