"""TrustStore: chain, validity at the signing time, revocation, and its caches."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from signing.keys import KeyAlgorithm, generate_key
from signing.pki import Pki
from signing.trust import TrustStore
from signing.verify import Problem
from tests.signing.support import AGENCY_A, ISSUED, LATER, NAME_A, NOW, Parties


def test_a_current_leaf_is_trusted(parties: Parties, trust: TrustStore) -> None:
    check = trust.check(parties.person.certificate, signing_time=NOW, now=LATER)
    assert (check.chain_trusted, check.time_valid, check.not_revoked, check.problem) == (
        True,
        True,
        True,
        None,
    )


def test_another_root_is_an_unknown_issuer(parties: Parties, trust: TrustStore) -> None:
    foreign = parties.foreign_person
    check = trust.check(foreign.certificate, foreign.chain, signing_time=NOW, now=LATER)
    assert check.problem is Problem.UNKNOWN_ISSUER and not check.chain_trusted


def test_a_certificate_claiming_our_ca_but_not_signed_by_it_is_untrusted(
    parties: Parties, trust: TrustStore
) -> None:
    """Our intermediate's name and key identifier, another key's signature."""
    pki = parties.pki
    forged = (
        x509.CertificateBuilder()
        .subject_name(parties.organisation.certificate.subject)
        .issuer_name(pki.intermediate.subject)
        .public_key(generate_key().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ISSUED)
        .not_valid_after(ISSUED + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            parties.organisation.certificate.extensions.get_extension_for_class(
                x509.KeyUsage
            ).value,
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.intermediate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(generate_key(), hashes.SHA256())
    )
    check = trust.check(forged, signing_time=NOW, now=LATER)
    assert check.problem is Problem.UNTRUSTED_CHAIN and not check.chain_trusted


def test_a_ca_certificate_does_not_sign_documents(parties: Parties, trust: TrustStore) -> None:
    check = trust.check(parties.pki.intermediate, signing_time=NOW, now=LATER)
    assert check.problem is Problem.UNTRUSTED_CHAIN


def test_validity_is_judged_at_the_signing_time(parties: Parties, trust: TrustStore) -> None:
    """And, without a trusted timestamp, still now: the claimed time proves nothing."""
    expired = parties.expired.certificate
    assert trust.check(expired, signing_time=NOW, now=LATER).problem is Problem.EXPIRED
    early = expired.not_valid_before_utc + timedelta(days=1)
    assert trust.check(expired, signing_time=early, now=LATER).problem is Problem.EXPIRED
    attested = trust.check(expired, signing_time=early, now=LATER, attested=True)
    assert attested.problem is None
    future = parties.not_yet_valid.certificate
    assert trust.check(future, signing_time=NOW, now=LATER).problem is Problem.NOT_YET_VALID


def test_a_signing_time_in_the_future_is_refused(parties: Parties, trust: TrustStore) -> None:
    check = trust.check(
        parties.person.certificate, signing_time=LATER + timedelta(days=1), now=LATER
    )
    assert check.problem is Problem.NOT_YET_VALID and check.chain_trusted


def test_a_revoked_certificate(parties: Parties, trust: TrustStore) -> None:
    check = trust.check(parties.revoked.certificate, signing_time=NOW, now=LATER)
    assert check.problem is Problem.REVOKED and check.chain_trusted and not check.not_revoked


def test_a_revocation_reaches_a_warm_cache(tmp_path: Path) -> None:
    """The verified chain stays cached; the new CRL still revokes at the next check."""
    pki = Pki.init(tmp_path / "pki", ISSUED)
    pki.issue_org(AGENCY_A, NAME_A, ISSUED)
    leaf = pki.certificate(f"{AGENCY_A}.org.1")
    trust = pki.trust_store(NOW)
    assert trust.check(leaf, signing_time=NOW, now=NOW).problem is None
    pki.revoke(f"{AGENCY_A}.org.1", NOW + timedelta(minutes=1))
    trust.update_crls(pki.crls(NOW + timedelta(minutes=2)))
    check = trust.check(leaf, signing_time=NOW, now=NOW + timedelta(minutes=3))
    assert check.problem is Problem.REVOKED


def test_an_older_crl_does_not_undo_a_revocation(parties: Parties) -> None:
    old = parties.pki.crls(NOW - timedelta(days=2))
    new = parties.pki.crls(NOW)
    trust = TrustStore([parties.pki.root], [parties.pki.intermediate], [*new, *old])
    assert (
        trust.check(parties.revoked.certificate, signing_time=NOW, now=NOW).problem
        is Problem.REVOKED
    )


def test_without_a_current_crl_revocation_is_unknown(parties: Parties) -> None:
    pki, leaf = parties.pki, parties.person.certificate
    bare = TrustStore([pki.root], [pki.intermediate])
    assert bare.check(leaf, signing_time=NOW, now=NOW).problem is Problem.REVOCATION_UNKNOWN
    stale = TrustStore([pki.root], [pki.intermediate], pki.crls(NOW - timedelta(days=30)))
    assert stale.check(leaf, signing_time=NOW, now=NOW).problem is Problem.REVOCATION_UNKNOWN


def test_a_crl_from_another_ca_is_ignored(parties: Parties, tmp_path: Path) -> None:
    other = Pki.init(tmp_path / "other", ISSUED)
    pki = parties.pki
    trust = TrustStore([pki.root], [pki.intermediate], other.crls(NOW))
    check = trust.check(parties.person.certificate, signing_time=NOW, now=NOW)
    assert check.problem is Problem.REVOCATION_UNKNOWN


def test_from_pem_reads_the_exported_bundle_and_crls(parties: Parties) -> None:
    pki = parties.pki
    trust = TrustStore.from_pem(pki.export_bundle(), pki.crl_pem(NOW))
    assert trust.check(parties.person.certificate, signing_time=NOW, now=LATER).problem is None
    assert (
        trust.check(parties.revoked.certificate, signing_time=NOW, now=LATER).problem
        is Problem.REVOKED
    )


def test_a_leaf_that_expired_before_its_ca_was_made_is_expired(tmp_path: Path) -> None:
    """No moment when the whole chain is valid: expired (as openssl says), not untrusted."""
    pki = Pki.init(tmp_path / "pki", NOW, algorithm=KeyAlgorithm.ECDSA_P256)
    pki.issue_org(AGENCY_A, NAME_A, NOW)
    old = pki.issue_person(
        AGENCY_A, "Trần Văn Cũ", "Chủ tịch", NOW - timedelta(days=400), validity=timedelta(days=365)
    )
    trust = pki.trust_store(LATER)
    check = trust.check(pki.certificate(old.id), signing_time=LATER, now=LATER)
    assert check.problem is Problem.EXPIRED and "expired at" in check.reason
    other = Pki.init(tmp_path / "other", NOW, algorithm=KeyAlgorithm.ECDSA_P256)
    other.issue_org(AGENCY_A, NAME_A, NOW - timedelta(days=400), validity=timedelta(days=365))
    stranger = other.certificate(f"{AGENCY_A}.org.1")
    assert trust.check(stranger, signing_time=LATER, now=LATER).problem is Problem.UNKNOWN_ISSUER
