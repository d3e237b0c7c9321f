"""Revocation a verifier can reach: pyHanko's validator, revocation required and fetching on,
gets the CRLs, the CA certificates and OCSP answers from the addresses our certificates name."""

from __future__ import annotations

import base64
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from signing import pades
from signing.hanko import to_asn1
from signing.pdf import OfficialDocument, render_pdf
from signing.signer import Signer
from tests.signing.served import ServedPki, served_pki
from tests.signing.support import AGENCY_A, NAME_A

NOW = datetime.now(UTC)  # the served answers are made at the real time: so is everything here


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPki]:
    with served_pki(tmp_path_factory.mktemp("served") / "pki", NOW - timedelta(days=30)) as pki:
        pki.pki.issue_org(AGENCY_A, NAME_A, NOW - timedelta(days=1))
        pki.pki.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", NOW - timedelta(days=1))
        yield pki


def _signers(served: ServedPki) -> tuple[Signer, Signer]:
    pki = served.pki
    return pki.signer(f"{AGENCY_A}.person.1"), pki.signer(f"{AGENCY_A}.org.1")


def _signed_pdf(served: ServedPki) -> bytes:
    document = OfficialDocument(
        agency_code=AGENCY_A,
        agency_name=NAME_A,
        number="7/UBND-VP",
        place="Ninh Bình",
        issued_on=date(2026, 3, 5),
        subject="V/v kiểm tra thu hồi chứng thư số",
        body="Văn bản kiểm tra việc tra cứu danh sách thu hồi.",
        signer_name="Phạm Quang Ngọc",
        signer_position="Chủ tịch",
    )
    person, organisation = _signers(served)
    return pades.sign_document_pdf(
        render_pdf(document), person, organisation, NOW, document_id=None
    )


def _pyhanko_verdicts(served: ServedPki, signed: bytes) -> list[PdfSignatureStatus]:
    """pyHanko's verdict per signature, fetching whatever it needs, revocation required."""
    context = ValidationContext(
        trust_roots=[to_asn1(served.pki.root)], allow_fetching=True, revocation_mode="require"
    )
    verdicts = []
    for embedded in PdfFileReader(BytesIO(signed)).embedded_signatures:
        verdicts.append(validate_pdf_signature(embedded, context))
    return verdicts


def test_every_certificate_names_where_its_issuer_publishes(served: ServedPki) -> None:
    person, _ = _signers(served)
    for certificate, ca in (
        (person.certificate, "intermediate"),
        (served.pki.intermediate, "root"),
    ):
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert points[0].full_name == [
            x509.UniformResourceIdentifier(f"{served.base_url}/{ca}.crl")
        ]
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
        named = {(a.access_method, a.access_location.value) for a in access.value}
        assert named == {
            (AuthorityInformationAccessOID.OCSP, f"{served.base_url}/ocsp"),
            (AuthorityInformationAccessOID.CA_ISSUERS, f"{served.base_url}/{ca}.cer"),
        }


def test_the_named_addresses_answer(served: ServedPki) -> None:
    pki = served.pki
    for ca, certificate in (("root", pki.root), ("intermediate", pki.intermediate)):
        with urllib.request.urlopen(f"{served.base_url}/{ca}.cer") as answer:
            assert x509.load_der_x509_certificate(answer.read()) == certificate
        with urllib.request.urlopen(f"{served.base_url}/{ca}.crl") as answer:
            assert answer.headers["Content-Type"] == "application/pkix-crl"
            crl = x509.load_der_x509_crl(answer.read())
            assert crl.is_signature_valid(certificate.public_key())  # type: ignore[arg-type]


def test_ocsp_by_get_says_good(served: ServedPki) -> None:
    person, _ = _signers(served)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(person.certificate, served.pki.intermediate, hashes.SHA1())
        .build()
    )
    encoded = base64.b64encode(request.public_bytes(Encoding.DER)).decode()
    with urllib.request.urlopen(f"{served.base_url}/ocsp/{encoded}") as answer:
        response = ocsp.load_der_ocsp_response(answer.read())
    assert response.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status is ocsp.OCSPCertStatus.GOOD


def test_bad_requests_get_a_4xx_or_an_ocsp_refusal(served: ServedPki) -> None:
    for path in ("/nothing.crl", "/root.key", "/../index.json"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{served.base_url}{path}")
        assert refused.value.code == 404
        refused.value.close()
    post = urllib.request.Request(f"{served.base_url}/ocsp", data=b"junk", method="POST")
    with urllib.request.urlopen(post) as answer:
        response = ocsp.load_der_ocsp_response(answer.read())
    assert response.response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_pyhanko_says_valid_then_revoked(served: ServedPki, tmp_path: Path) -> None:
    signed = _signed_pdf(served)
    for status in _pyhanko_verdicts(served, signed):
        assert status.bottom_line, status.pretty_print_details()
    served.pki.revoke(f"{AGENCY_A}.person.1", datetime.now(UTC))
    person, organisation = _pyhanko_verdicts(served, signed)
    assert not person.bottom_line and person.revoked and person.intact
    assert person.trust_problem_indic is AdESIndeterminate.REVOKED_NO_POE
    assert organisation.bottom_line, organisation.pretty_print_details()
    with urllib.request.urlopen(f"{served.base_url}/intermediate.crl") as answer:
        crl = x509.load_der_x509_crl(answer.read())
    entry = crl.get_revoked_certificate_by_serial_number(
        _signers(served)[0].certificate.serial_number
    )
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason is x509.ReasonFlags.key_compromise
