"""The test PKI: layout, key protection, certificate profiles, revocation and CRLs."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from signing.crl import load_crls
from signing.errors import PkiError
from signing.keys import KeyAlgorithm
from signing.pki import Pki
from signing.profiles import CertificateKind, identity_of
from tests.signing.support import AGENCY_A, ISSUED, NAME_A, NOW, Parties


@pytest.fixture
def small(tmp_path: Path) -> Pki:
    pki = Pki.init(tmp_path / "pki", ISSUED, algorithm=KeyAlgorithm.ECDSA_P256)
    pki.issue_org(AGENCY_A, NAME_A, ISSUED)
    return pki


def test_private_keys_are_readable_by_their_owner_only(small: Pki) -> None:
    keys = sorted(small.directory.rglob("*.key"))
    names = [k.name for k in keys]
    assert names == ["intermediate.key", "root.key", "tsa.key", f"{AGENCY_A}.org.1.key"]
    assert all(stat.S_IMODE(k.stat().st_mode) == 0o600 for k in keys)
    for directory in ("ca", "issued"):
        assert stat.S_IMODE((small.directory / directory).stat().st_mode) == 0o700


def test_no_key_material_outside_the_key_files(small: Pki) -> None:
    signer = small.signer(f"{AGENCY_A}.org.1")
    index = (small.directory / "index.json").read_text(encoding="utf-8")
    assert "PRIVATE" not in index and "PRIVATE" not in small.export_bundle().decode()
    assert "key=" not in repr(signer) and "PRIVATE" not in repr(signer)


def test_the_chain_is_shaped_like_the_governments(parties: Parties) -> None:
    pki = parties.pki
    assert pki.root.subject == pki.root.issuer
    assert pki.intermediate.issuer == pki.root.subject
    assert "CA phục vụ các cơ quan Nhà nước" in pki.intermediate.subject.rfc4514_string()
    constraints = pki.intermediate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca and constraints.path_length == 0
    usage = pki.intermediate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    points = pki.intermediate.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert points.value[0].full_name[0].value.endswith("/root.crl")


def test_leaf_certificates_are_for_signing_documents(parties: Parties) -> None:
    for signer in (parties.person, parties.organisation):
        extensions = signer.certificate.extensions
        usage = extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
        assert not usage.value.key_cert_sign
        assert not extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        assert extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
        points = extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert points[0].full_name[0].value.endswith("/intermediate.crl")
        assert isinstance(signer.key, rsa.RSAPrivateKey) and signer.key.key_size == 2048


def test_subjects_name_the_agency_and_the_leader(parties: Parties) -> None:
    person = parties.person.certificate.subject
    assert person.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Phạm Quang Ngọc"
    assert person.get_attributes_for_oid(NameOID.TITLE)[0].value == "Chủ tịch"
    assert identity_of(parties.person.certificate).kind is CertificateKind.PERSON
    organisation = identity_of(parties.organisation.certificate)
    assert (organisation.organisation, organisation.agency_code) == (NAME_A, AGENCY_A)
    assert organisation.kind is CertificateKind.ORGANISATION


def test_ecdsa_p256_is_an_option(ec_pki: Pki) -> None:
    signer = ec_pki.signer(ec_pki.current(AGENCY_A, CertificateKind.PERSON).id)
    assert isinstance(signer.key, ec.EllipticCurvePrivateKey)
    assert isinstance(ec_pki.root.public_key(), ec.EllipticCurvePublicKey)


def test_a_directory_is_initialised_once(small: Pki) -> None:
    with pytest.raises(PkiError):
        Pki.init(small.directory, NOW)
    with pytest.raises(PkiError):
        Pki(small.directory.parent / "nothing-here")


def test_the_index_survives_reopening(small: Pki) -> None:
    small.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", ISSUED)
    reopened = Pki(small.directory)
    assert reopened.entries() == small.entries()
    entry = reopened.current(AGENCY_A, CertificateKind.PERSON)
    assert entry.id == f"{AGENCY_A}.person.1" and entry.subject.startswith("CN=Phạm Quang Ngọc")
    assert reopened.certificate(entry.id).serial_number == entry.serial


def test_agency_codes_cannot_escape_the_directory(small: Pki) -> None:
    with pytest.raises(PkiError):
        small.issue_org("../../etc/x", "Kẻ gian", ISSUED)


def test_a_person_needs_an_agency_name(small: Pki) -> None:
    with pytest.raises(PkiError):
        small.issue_person("000.99.20.H42", "Vô Danh", "Chuyên viên", ISSUED)


def test_revocation_reaches_the_next_crl(small: Pki) -> None:
    entry = small.issue_person(AGENCY_A, "Đỗ Văn Thôi", "Phó Chủ tịch", ISSUED)
    first = small.crls(NOW)[1]
    revoked = small.revoke(entry.serial, NOW)
    assert revoked.revoked_at == NOW and small.revoke(entry.id, NOW + timedelta(days=1)) == revoked
    second = small.crls(NOW + timedelta(minutes=1))[1]
    assert first.get_revoked_certificate_by_serial_number(entry.serial) is None
    listed = second.get_revoked_certificate_by_serial_number(entry.serial)
    assert listed is not None and listed.revocation_date_utc == NOW
    number = second.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number == first.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number + 1
    with pytest.raises(PkiError):
        small.current(AGENCY_A, CertificateKind.PERSON)


def test_export_gives_outside_tools_the_bundle_and_the_crls(small: Pki) -> None:
    bundle = x509.load_pem_x509_certificates(small.export_bundle())
    assert bundle == [small.root, small.intermediate]
    crls = load_crls(small.crl_pem(NOW))
    assert [crl.issuer for crl in crls] == [small.root.subject, small.intermediate.subject]
    assert crls[0].is_signature_valid(small.root.public_key())  # type: ignore[arg-type]


def test_the_index_records_what_was_issued(small: Pki) -> None:
    index = json.loads((small.directory / "index.json").read_text(encoding="utf-8"))
    (entry,) = index["certificates"]
    assert (
        entry["kind"] == "org" and entry["agency_code"] == AGENCY_A and entry["revoked_at"] is None
    )
    assert int(entry["serial"], 16) == small.certificate(entry["id"]).serial_number


def test_reading_the_crls_issues_none(small: Pki) -> None:
    """A verifier reading the CRLs again and again writes nothing: the CRL in public/ stays."""
    first = small.crls(NOW)
    stamp = (small.directory / "public" / "intermediate.crl").stat().st_mtime_ns
    again = small.crls(NOW + timedelta(days=1))
    assert again == first
    assert (small.directory / "public" / "intermediate.crl").stat().st_mtime_ns == stamp
    later = small.crls(NOW + timedelta(days=8))  # past nextUpdate: a new one
    assert later[1].last_update_utc == NOW + timedelta(days=8)


def test_a_crl_entry_carries_its_reason(small: Pki) -> None:
    entry = small.issue_person(AGENCY_A, "Đỗ Văn Thôi", "Phó Chủ tịch", ISSUED)
    small.revoke(entry.id, NOW, reason=x509.ReasonFlags.affiliation_changed)
    listed = small.crls(NOW)[1].get_revoked_certificate_by_serial_number(entry.serial)
    assert listed is not None
    reason = listed.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason is x509.ReasonFlags.affiliation_changed
    assert Pki(small.directory).entry(entry.id).revocation_reason is reason
