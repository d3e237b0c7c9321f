"""Detached CMS / CAdES document signatures: round trip, openssl, and every bad input."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from signing import cms
from signing.der import countersignatures, read_signed_data
from signing.errors import SignatureInvalid
from signing.keys import generate_key
from signing.trust import TrustStore
from signing.verify import Problem
from tests.signing.support import LATER, NAME_A, NOW, Parties, run, tool, write_ca_files

DOCUMENT_ID = "000.00.20.H42,2026/03/05,125/UBND-VP"


@pytest.fixture(scope="module")
def signed(parties: Parties, pdf: bytes) -> bytes:
    return cms.sign_document(
        pdf, parties.person, parties.organisation, NOW, document_id=DOCUMENT_ID
    )


def test_person_then_organisation_round_trip(signed: bytes, pdf: bytes, trust: TrustStore) -> None:
    result = cms.verify_document(pdf, signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.valid, result.reason
    assert result.person is not None and result.organisation is not None
    assert (result.person.signer, result.person.organisation) == ("Phạm Quang Ngọc", NAME_A)
    assert result.organisation.signer == NAME_A and result.person.signing_time == NOW
    person = result.person
    assert person.intact and person.chain_trusted and person.time_valid and person.not_revoked
    assert person.algorithm_ok
    result.raise_if_invalid()


def test_openssl_verifies_both_signatures(
    signed: bytes, pdf: bytes, parties: Parties, tmp_path: Path
) -> None:
    """`openssl cms -verify` checks the person's signature (it ignores counter-signatures);
    the organisation's counter-signature is checked with openssl piece by piece: its
    signature over its signed attributes, and their digest of the person's signature value."""
    bundle, _, _ = write_ca_files(parties.pki, tmp_path)
    (tmp_path / "doc.pdf").write_bytes(pdf)
    (tmp_path / "doc.p7s").write_bytes(signed)
    verified = run(
        tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
        "-in", tmp_path / "doc.p7s", "-content", tmp_path / "doc.pdf",
        "-CAfile", bundle, "-purpose", "any", "-out", tmp_path / "out.bin",
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert "Verification successful" in verified.stderr
    assert (tmp_path / "out.bin").read_bytes() == pdf
    (tmp_path / "changed.pdf").write_bytes(pdf[:-1] + b"X")
    refused = run(
        tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
        "-in", tmp_path / "doc.p7s", "-content", tmp_path / "changed.pdf",
        "-CAfile", bundle, "-purpose", "any", "-out", "/dev/null",
    )  # fmt: skip
    assert refused.returncode != 0
    (person,) = read_signed_data(signed).signer_infos
    (counter,) = countersignatures(person.unsigned_attrs)
    assert counter.signed_attrs is not None
    (tmp_path / "attrs.der").write_bytes(counter.signed_attrs)
    (tmp_path / "value.bin").write_bytes(counter.signature)
    key = parties.organisation.certificate.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "org.pub").write_bytes(key)
    checked = run(
        tool("openssl"), "dgst", "-sha256", "-verify", tmp_path / "org.pub",
        "-signature", tmp_path / "value.bin", tmp_path / "attrs.der",
    )  # fmt: skip
    assert checked.returncode == 0 and "Verified OK" in checked.stdout, checked.stderr
    assert hashlib.sha256(person.signature).digest() in counter.signed_attrs


def test_the_organisation_counter_signs_the_person(signed: bytes) -> None:
    """One SignerInfo, the person's; the organisation's is its countersignature attribute."""
    full = asn1_cms.ContentInfo.load(signed)["content"]
    (person,) = full["signer_infos"]
    (counter,) = [a for a in person["unsigned_attrs"] if a["type"].native == "counter_signature"]
    types = {a["type"].native for a in counter["values"][0]["signed_attrs"]}
    assert "content_type" not in types and "message_digest" in types  # RFC 5652 §11.4


def test_a_counter_signature_by_another_key(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    impostor = replace(parties.organisation, key=generate_key())
    signed = cms.sign_document(pdf, parties.person, impostor, NOW, document_id=DOCUMENT_ID)
    result = cms.verify_document(pdf, signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.SIGNATURE_INVALID
    assert result.organisation is not None and not result.organisation.intact


def _openssl_sign(parties: Parties, pdf: bytes, tmp_path: Path, *extra: str) -> bytes:
    person = parties.person
    (tmp_path / "cert.pem").write_bytes(person.certificate.public_bytes(Encoding.PEM))
    key = person.key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    (tmp_path / "key.pem").write_bytes(key)
    _, _, intermediate = write_ca_files(parties.pki, tmp_path)
    (tmp_path / "doc.pdf").write_bytes(pdf)
    made = run(
        tool("openssl"), "cms", "-sign", "-binary", *extra, "-md", "sha256", "-outform", "DER",
        "-in", tmp_path / "doc.pdf", "-signer", tmp_path / "cert.pem",
        "-inkey", tmp_path / "key.pem", "-certfile", intermediate, "-out", tmp_path / "doc.p7s",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return (tmp_path / "doc.p7s").read_bytes()


def test_an_openssl_signature_verifies_here(parties: Parties, pdf: bytes, tmp_path: Path) -> None:
    """No ESS attribute, no content identifier, openssl's own encoding: still read."""
    signature = _openssl_sign(parties, pdf, tmp_path)
    trust = parties.pki.trust_store(NOW)
    (result,) = cms.verify_detached(pdf, signature, trust, LATER)
    # openssl stamps the real clock as signingTime: a test PKI may be expired by then
    assert result.problem in (None, Problem.EXPIRED, Problem.NOT_YET_VALID), result.reason
    assert result.intact and result.chain_trusted and result.signer == "Phạm Quang Ngọc"


def test_an_attached_signature_is_refused(parties: Parties, pdf: bytes, tmp_path: Path) -> None:
    """`openssl cms -sign -stream` embeds the content (BER, indefinite lengths)."""
    signature = _openssl_sign(parties, pdf, tmp_path, "-stream")
    (result,) = cms.verify_detached(pdf, signature, parties.pki.trust_store(NOW), LATER)
    assert result.problem is Problem.MALFORMED and "embeds its content" in result.reason


def test_the_fast_reader_agrees_with_asn1crypto(signed: bytes) -> None:
    view = read_signed_data(signed)
    full = asn1_cms.ContentInfo.load(signed)["content"]
    assert view.detached and full["encap_content_info"]["content"].native is None
    assert view.certificates == [c.chosen.dump() for c in full["certificates"]]
    for fast, slow in zip(view.signer_infos, full["signer_infos"], strict=True):
        assert fast.signature == slow["signature"].native
        assert fast.signed_attrs == slow["signed_attrs"].untag().dump()
        assert fast.digest_algorithm == slow["digest_algorithm"].dump()
        assert fast.sid == slow["sid"].dump()


def test_one_byte_changed_is_tampering(signed: bytes, pdf: bytes, trust: TrustStore) -> None:
    changed = bytearray(pdf)
    changed[len(pdf) // 2] ^= 0x01
    result = cms.verify_document(bytes(changed), signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.TAMPERED
    assert result.person is not None and not result.person.intact and result.person.chain_trusted
    with pytest.raises(SignatureInvalid) as raised:
        result.raise_if_invalid()
    assert raised.value.result is result


def test_a_signature_copied_from_another_document(
    parties: Parties, pdf: bytes, signed: bytes, trust: TrustStore
) -> None:
    other = pdf.replace(b"125/UBND-VP", b"126/UBND-VP")
    result = cms.verify_document(
        other, signed, trust, LATER, document_id=DOCUMENT_ID.replace("125", "126")
    )
    assert result.problem is Problem.SIGNATURE_MISMATCH
    assert "125/UBND-VP" in result.reason


def test_a_key_the_ca_never_certified(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    """The organisation's genuine certificate, a signature by some other key (side by side,
    as files made before counter-signing have it)."""
    impostor = replace(parties.organisation, key=generate_key())
    person = cms.sign_detached(pdf, parties.person, NOW, document_id=DOCUMENT_ID)
    both = cms.add_signature(person, pdf, impostor, NOW, document_id=DOCUMENT_ID)
    result = cms.verify_document(pdf, both, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.SIGNATURE_INVALID
    assert result.organisation is not None and not result.organisation.intact


def test_a_certificate_from_another_root(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    signed = cms.sign_document(
        pdf, parties.foreign_person, parties.foreign_organisation, NOW, document_id=DOCUMENT_ID
    )
    result = cms.verify_document(pdf, signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.UNKNOWN_ISSUER
    assert result.person is not None and result.person.intact and not result.person.chain_trusted


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        ("expired", Problem.EXPIRED),
        ("not_yet_valid", Problem.NOT_YET_VALID),
        ("revoked", Problem.REVOKED),
    ],
)
def test_certificate_states(
    parties: Parties, pdf: bytes, trust: TrustStore, who: str, problem: Problem
) -> None:
    person = getattr(parties, who)
    signed = cms.sign_document(pdf, person, parties.organisation, NOW, document_id=DOCUMENT_ID)
    result = cms.verify_document(pdf, signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is problem
    assert result.person is not None and result.person.intact and result.person.chain_trusted


def test_the_organisation_signature_missing(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    only_person = cms.sign_detached(pdf, parties.person, NOW, document_id=DOCUMENT_ID)
    result = cms.verify_document(pdf, only_person, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.ORGANISATION_SIGNATURE_MISSING
    assert result.person is not None and result.person.valid and result.organisation is None


def test_the_person_signature_missing(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    only_seal = cms.sign_detached(pdf, parties.organisation, NOW, document_id=DOCUMENT_ID)
    result = cms.verify_document(pdf, only_seal, trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.PERSON_SIGNATURE_MISSING


def test_sha1_is_weak_not_valid(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    person = cms.sign_detached(pdf, parties.person, NOW, digest="sha1")
    result = cms.verify_detached(pdf, person, trust, LATER)[0]
    assert result.problem is Problem.WEAK_ALGORITHM and not result.valid
    assert result.intact and result.chain_trusted and not result.algorithm_ok


def test_signer_and_seal_from_different_agencies(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    signed = cms.sign_document(pdf, parties.person, parties.organisation_b, NOW, document_id=None)
    assert cms.verify_document(pdf, signed, trust, LATER).problem is Problem.AGENCY_MISMATCH


@pytest.mark.parametrize("garbage", [b"", b"not a signature", b"\x30\x03\x02\x01\x01", bytes(64)])
def test_garbage_is_malformed_not_a_crash(garbage: bytes, pdf: bytes, trust: TrustStore) -> None:
    (result,) = cms.verify_detached(pdf, garbage, trust, LATER)
    assert result.problem is Problem.MALFORMED and not result.valid


def test_an_ecdsa_document_verifies(ec_pki, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    from signing.profiles import CertificateKind
    from tests.signing.support import AGENCY_A

    person = ec_pki.signer(ec_pki.current(AGENCY_A, CertificateKind.PERSON).id)
    seal = ec_pki.signer(ec_pki.current(AGENCY_A, CertificateKind.ORGANISATION).id)
    signed = cms.sign_document(pdf, person, seal, NOW, document_id=DOCUMENT_ID)
    assert cms.verify_document(pdf, signed, ec_pki.trust_store(NOW), LATER).valid


def test_signing_works_inside_a_running_event_loop(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    """The hub's async handlers may call it: pyHanko's coroutines then run in a thread."""

    async def handler() -> bytes:
        return cms.sign_document(pdf, parties.person, parties.organisation, NOW, document_id=None)

    signed = asyncio.run(handler())
    assert cms.verify_document(pdf, signed, trust, LATER).valid
