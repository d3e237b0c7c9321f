"""Signatures that last: PAdES B-T/B-LT (a timestamp from the PKI's TSA, the validation data
in the DSS), CAdES-T; valid 10 years later as of their timestamp, for pyHanko and for us."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from signing import cms, pades
from signing.hanko import to_asn1
from signing.pdf import OfficialDocument, render_pdf
from signing.pki import Pki
from signing.verify import Problem
from tests.signing.served import ServedPki, served_pki
from tests.signing.support import AGENCY_A, NAME_A, NOW, Parties, run, tool

DOCUMENT_ID = "000.00.20.H42,2026/03/05,125/UBND-VP"
TEN_YEARS = timedelta(days=3653)


def _gen_time(embedded: EmbeddedPdfSignature) -> datetime:
    """The time of the signature-time-stamp token (an unsigned attribute) of `embedded`."""
    attributes = embedded.signer_info["unsigned_attrs"]
    token = find_unique_cms_attribute(attributes, "signature_time_stamp_token")
    gen_time = token["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    assert isinstance(gen_time, datetime)
    return gen_time


@pytest.fixture(scope="module")
def long_term(parties: Parties, pdf: bytes) -> bytes:
    evidence = parties.pki.evidence(NOW)
    return pades.sign_document_pdf(
        pdf, parties.person, parties.organisation, NOW, document_id=DOCUMENT_ID, evidence=evidence
    )


def test_each_signature_is_timestamped_and_the_dss_holds_the_validation_data(
    long_term: bytes, parties: Parties
) -> None:
    reader = PdfFileReader(BytesIO(long_term))
    for embedded in reader.embedded_regular_signatures:
        assert _gen_time(embedded) == NOW
    dss = DocumentSecurityStore.read_dss(reader)
    embedded_crls = {ref.get_object().data for ref in dss.crls}
    assert {c.public_bytes(Encoding.DER) for c in parties.pki.crls(NOW)} <= embedded_crls
    embedded_certificates = {ref.get_object().data for ref in dss.certs.values()}
    for certificate in (parties.pki.intermediate, parties.pki.tsa_certificate):
        assert certificate.public_bytes(Encoding.DER) in embedded_certificates


def test_valid_now_and_ten_years_later_as_of_its_timestamp(
    long_term: bytes, parties: Parties
) -> None:
    """The person's certificate expired 7 years before; the timestamp dates the signature."""
    later = NOW + TEN_YEARS
    assert parties.person.certificate.not_valid_after_utc < later
    result = pades.verify_pdf(
        long_term, parties.pki.trust_store(later), later, document_id=DOCUMENT_ID
    )
    assert result.valid, result.reason
    assert result.person is not None and result.person.timestamp == NOW


def test_without_a_timestamp_ten_years_later_is_expired(parties: Parties, pdf: bytes) -> None:
    plain = pades.sign_document_pdf(
        pdf, parties.person, parties.organisation, NOW, document_id=DOCUMENT_ID
    )
    later = NOW + TEN_YEARS
    result = pades.verify_pdf(plain, parties.pki.trust_store(later), later)
    assert result.problem is Problem.EXPIRED


def test_a_forged_timestamp_earns_nothing(parties: Parties, pdf: bytes) -> None:
    """A token whose time was changed no longer verifies and is ignored: the signature is
    judged as an untimestamped one, expired ten years later (CAdES: the signer's signature
    does not cover its unsigned attributes, so the file stays intact)."""
    evidence = parties.pki.evidence(NOW)
    signature = cms.sign_detached(pdf, parties.person, NOW, evidence=evidence)
    gen_time = NOW.strftime("%Y%m%d%H%M%SZ").encode()
    assert signature.count(b"\x18\x0f" + gen_time) == 1  # GeneralizedTime, in the TSTInfo
    forged = signature.replace(b"\x18\x0f" + gen_time, b"\x18\x0f" + b"2036" + gen_time[4:])
    later = NOW + TEN_YEARS
    trust = parties.pki.trust_store(later)
    (genuine,) = cms.verify_detached(pdf, signature, trust, later)
    assert genuine.valid and genuine.timestamp == NOW
    (result,) = cms.verify_detached(pdf, forged, trust, later)
    assert result.intact and result.timestamp is None and result.problem is Problem.EXPIRED


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPki]:
    now = datetime.now(UTC)
    with served_pki(tmp_path_factory.mktemp("lt") / "pki", now - timedelta(days=30)) as pki:
        pki.pki.issue_org(AGENCY_A, NAME_A, now - timedelta(days=1))
        pki.pki.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", now - timedelta(days=1))
        yield pki


def _served_long_term(served: ServedPki) -> tuple[bytes, datetime]:
    now = datetime.now(UTC)
    document = OfficialDocument(
        AGENCY_A, NAME_A, "9/UBND-VP", "Ninh Bình", now.date(), "V/v lưu trữ lâu dài",
        "Văn bản ký số có dấu thời gian.", "Phạm Quang Ngọc", "Chủ tịch",
    )  # fmt: skip
    pki = served.pki
    signed = pades.sign_document_pdf(
        render_pdf(document),
        pki.signer(f"{AGENCY_A}.person.1"),
        pki.signer(f"{AGENCY_A}.org.1"),
        now,
        document_id=None,
        evidence=pki.evidence(now),
    )
    return signed, now


def test_pyhanko_ten_years_later(served: ServedPki) -> None:
    """pyHanko, revocation required: the timestamp judged 10 years on (the CA, still running,
    answers for its TSA then), the signer's chain as of the timestamp from the DSS alone."""
    signed, now = _served_long_term(served)
    served.clock.ahead = TEN_YEARS
    try:
        root = [to_asn1(served.pki.root)]
        reader = PdfFileReader(BytesIO(signed))
        dss = DocumentSecurityStore.read_dss(reader)
        timestamps = ValidationContext(
            trust_roots=root, allow_fetching=True, revocation_mode="require",
            moment=now + TEN_YEARS,
        )  # fmt: skip
        for embedded in reader.embedded_regular_signatures:
            at_timestamp = dss.as_validation_context(
                {"trust_roots": root, "allow_fetching": False, "revocation_mode": "require",
                 "moment": _gen_time(embedded)}
            )  # fmt: skip
            status = validate_pdf_signature(embedded, at_timestamp, timestamps)
            assert status.bottom_line, status.pretty_print_details()
            assert status.timestamp_validity is not None and status.timestamp_validity.trusted
            assert status.timestamp_validity.timestamp == now
    finally:
        served.clock.ahead = timedelta(0)


def test_the_served_tsa_answers_openssl(served: ServedPki, tmp_path: Path) -> None:
    openssl = tool("openssl")
    data = tmp_path / "data.bin"
    data.write_bytes(b"van ban")
    query = run(openssl, "ts", "-query", "-data", data, "-sha256", "-cert", "-out", tmp_path / "q")
    assert query.returncode == 0, query.stderr
    request = urllib.request.Request(
        f"{served.base_url}/tsa",
        data=(tmp_path / "q").read_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
    )
    with urllib.request.urlopen(request) as answer:
        (tmp_path / "r.tsr").write_bytes(answer.read())
    (tmp_path / "bundle.pem").write_bytes(served.pki.export_bundle())
    verified = run(
        openssl, "ts", "-verify", "-data", data, "-in", tmp_path / "r.tsr",
        "-CAfile", tmp_path / "bundle.pem",
    )  # fmt: skip
    assert verified.returncode == 0 and "Verification: OK" in verified.stdout, verified.stderr
    data.write_bytes(b"van ban khac")
    refused = run(
        openssl, "ts", "-verify", "-data", data, "-in", tmp_path / "r.tsr",
        "-CAfile", tmp_path / "bundle.pem",
    )  # fmt: skip
    assert refused.returncode != 0 and "message imprint mismatch" in refused.stderr


def test_the_tsa_certificate_is_for_time_stamping_only(parties: Parties) -> None:
    certificate = parties.pki.tsa_certificate
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]


def test_cades_t_lasts_too(parties: Parties, pdf: bytes) -> None:
    evidence = parties.pki.evidence(NOW)
    signature = cms.sign_document(
        pdf, parties.person, parties.organisation, NOW, document_id=DOCUMENT_ID,
        evidence=evidence,
    )  # fmt: skip
    later = NOW + TEN_YEARS
    result = cms.verify_document(
        pdf, signature, parties.pki.trust_store(later), later, document_id=DOCUMENT_ID
    )
    assert result.valid, result.reason
    assert result.person is not None and result.person.timestamp == NOW
    assert result.organisation is not None and result.organisation.timestamp == NOW


def test_a_revocation_after_the_timestamp_leaves_the_signature_valid(
    parties: Parties, pdf: bytes, tmp_path: Path
) -> None:
    pki = Pki.init(tmp_path / "pki", NOW - timedelta(days=30))
    pki.issue_org(AGENCY_A, NAME_A, NOW - timedelta(days=1))
    person = pki.issue_person(AGENCY_A, "Đỗ Văn Thôi", "Chủ tịch", NOW - timedelta(days=1))
    signed = pades.sign_document_pdf(
        pdf, pki.signer(person.id), pki.signer(f"{AGENCY_A}.org.1"), NOW, document_id=None,
        evidence=pki.evidence(NOW),
    )  # fmt: skip
    pki.revoke(person.id, NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    assert pades.verify_pdf(signed, pki.trust_store(later), later).valid
    unstamped = pades.sign_document_pdf(
        pdf, pki.signer(person.id), pki.signer(f"{AGENCY_A}.org.1"), NOW, document_id=None
    )
    assert pades.verify_pdf(unstamped, pki.trust_store(later), later).problem is Problem.REVOKED
