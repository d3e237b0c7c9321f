"""PAdES: two incremental-update signatures in the PDF; openssl and pyHanko agree."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms, parser
from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing import pades
from signing.errors import SigningError
from signing.hanko import to_asn1
from signing.pdfsig import find_signatures
from signing.trust import TrustStore
from signing.verify import Problem
from tests.signing.support import LATER, NAME_A, NOW, Parties, run, tool, write_ca_files

DOCUMENT_ID = "000.00.20.H42,2026/03/05,125/UBND-VP"


@pytest.fixture(scope="module")
def signed(parties: Parties, pdf: bytes) -> bytes:
    return pades.sign_document_pdf(
        pdf, parties.person, parties.organisation, NOW, document_id=DOCUMENT_ID
    )


def test_round_trip(signed: bytes, trust: TrustStore) -> None:
    result = pades.verify_pdf(signed, trust, LATER, document_id=DOCUMENT_ID)
    assert result.valid, result.reason
    assert result.person is not None and result.person.signer == "Phạm Quang Ngọc"
    assert result.person.signing_time == NOW  # from /M: PAdES carries no signingTime
    assert result.organisation is not None and result.organisation.signer == NAME_A


def test_the_organisation_signs_over_the_person(signed: bytes, pdf: bytes) -> None:
    person, organisation = find_signatures(signed)
    assert person.end < organisation.end == len(signed)
    assert signed.startswith(pdf) and signed[: person.end].startswith(pdf)
    assert person.claimed_time == NOW


def test_openssl_verifies_each_embedded_signature(
    signed: bytes, parties: Parties, tmp_path: Path
) -> None:
    """The CMS is the /Contents hole; the content is the file without the hole."""
    bundle, _, _ = write_ca_files(parties.pki, tmp_path)
    for index, signature in enumerate(find_signatures(signed)):
        _, hole, resume, length = signature.byte_range
        _, _, _, header, body, _ = parser.parse(signature.cms)  # without the zero padding
        (tmp_path / f"{index}.p7s").write_bytes(header + body)
        (tmp_path / f"{index}.bin").write_bytes(signed[:hole] + signed[resume : resume + length])
        verified = run(
            tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
            "-in", tmp_path / f"{index}.p7s", "-content", tmp_path / f"{index}.bin",
            "-CAfile", bundle, "-purpose", "any", "-out", "/dev/null",
        )  # fmt: skip
        assert verified.returncode == 0, verified.stderr


def test_pyhanko_validates_both_signatures(signed: bytes, parties: Parties) -> None:
    pki = parties.pki
    crls = [asn1_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in pki.crls(NOW)]
    context = ValidationContext(
        trust_roots=[to_asn1(pki.root)],
        other_certs=[to_asn1(pki.intermediate)],
        crls=crls,
        allow_fetching=False,
        moment=LATER,
    )
    signatures = PdfFileReader(BytesIO(signed)).embedded_signatures
    assert [s.field_name for s in signatures] == [pades.PERSON_FIELD, pades.ORGANISATION_FIELD]
    for embedded in signatures:
        status = validate_pdf_signature(embedded, context)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def test_one_byte_changed(signed: bytes, trust: TrustStore) -> None:
    changed = bytearray(signed)
    changed[200] ^= 0x01
    result = pades.verify_pdf(bytes(changed), trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.TAMPERED


def test_bytes_appended_after_the_last_signature(signed: bytes, trust: TrustStore) -> None:
    result = pades.verify_pdf(signed + b"\n% added\n", trust, LATER, document_id=DOCUMENT_ID)
    assert result.problem is Problem.TAMPERED and "added after the last signature" in result.reason


def test_the_organisation_signature_missing(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    person_only = pades.sign_pdf(pdf, parties.person, NOW, field=pades.PERSON_FIELD)
    result = pades.verify_pdf(person_only, trust, LATER)
    assert result.problem is Problem.ORGANISATION_SIGNATURE_MISSING


def test_a_signature_copied_from_another_document(
    parties: Parties, pdf: bytes, signed: bytes, trust: TrustStore
) -> None:
    """The document id is in the signed bytes (/Reason): a signature made for another
    document is a mismatch; its CMS moved into this file covers none of these bytes."""
    other_id = DOCUMENT_ID.replace("125", "126")
    assert pades.verify_pdf(signed, trust, LATER, document_id=other_id).problem is (
        Problem.SIGNATURE_MISMATCH
    )
    other = pades.sign_document_pdf(
        pdf.replace(b"125/UBND-VP", b"126/UBND-VP"),
        parties.person,
        parties.organisation,
        NOW,
        document_id=other_id,
    )
    hole = find_signatures(other)[-1].byte_range
    source = find_signatures(signed)[-1].byte_range
    assert hole[2] - hole[1] == source[2] - source[1]
    copied = other[: hole[1]] + signed[source[1] : source[2]] + other[hole[2] :]
    result = pades.verify_pdf(copied, trust, LATER, document_id=other_id)
    assert result.problem is Problem.TAMPERED


def test_the_document_id_is_bound_without_a_content_identifier(signed: bytes) -> None:
    """PAdES (ETSI EN 319 142-1) forbids the content-identifier attribute: the id is in
    the signature dictionary's /Reason, inside the byte range."""
    for signature in find_signatures(signed):
        assert signature.reason == pades.DOCUMENT_ID_REASON + DOCUMENT_ID
        _, hole, resume, _ = signature.byte_range
        assert signed.find(b"/Reason") not in range(hole, resume)
        info = cms.ContentInfo.load(parser.parse(signature.cms)[3] + parser.parse(signature.cms)[4])
        attributes = info["content"]["signer_infos"][0]["signed_attrs"]
        assert "content_identifier" not in {a["type"].native for a in attributes}


def test_a_certificate_from_another_root(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    signed = pades.sign_document_pdf(
        pdf, parties.foreign_person, parties.foreign_organisation, NOW, document_id=DOCUMENT_ID
    )
    assert pades.verify_pdf(signed, trust, LATER).problem is Problem.UNKNOWN_ISSUER


def test_a_revoked_signer(parties: Parties, pdf: bytes, trust: TrustStore) -> None:
    signed = pades.sign_document_pdf(
        pdf, parties.revoked, parties.organisation, NOW, document_id=None
    )
    assert pades.verify_pdf(signed, trust, LATER).problem is Problem.REVOKED


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4\n%%EOF\n", b"/ByteRange [0 10 20 30] junk"])
def test_no_signature_is_unsigned(data: bytes, trust: TrustStore) -> None:
    assert pades.verify_pdf(data, trust, LATER).problem is Problem.UNSIGNED


def test_a_broken_signature_is_malformed(signed: bytes, trust: TrustStore) -> None:
    _, hole, _, _ = find_signatures(signed)[-1].byte_range
    broken = signed[: hole + 1] + b"00" * 4 + signed[hole + 9 :]
    result = pades.verify_pdf(broken, trust, LATER)
    assert result.problem is Problem.MALFORMED and result.person is not None and result.person.valid


def test_the_organisation_must_sign_after_the_person(
    parties: Parties, pdf: bytes, trust: TrustStore
) -> None:
    sealed = pades.sign_pdf(pdf, parties.organisation, NOW, field=pades.ORGANISATION_FIELD)
    both = pades.sign_pdf(sealed, parties.person, NOW, field=pades.PERSON_FIELD)
    assert pades.verify_pdf(both, trust, LATER).problem is Problem.SIGNATURE_ORDER


def test_what_cannot_be_signed_is_a_signing_error(parties: Parties, signed: bytes) -> None:
    with pytest.raises(SigningError):
        pades.sign_pdf(b"not a pdf", parties.person, NOW, field=pades.PERSON_FIELD)
    with pytest.raises(SigningError):  # that field is signed already
        pades.sign_pdf(signed, parties.person, NOW, field=pades.PERSON_FIELD)
