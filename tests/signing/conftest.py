"""A test PKI shared by the signing tests (RSA keys cost ~50 ms each: made once per session).

Agency A holds an organisation and a leader certificate, and three more leader certificates
that are expired, not yet valid at NOW, and revoked. Agency B has its own pair. A second,
unrelated PKI plays the certificate "from another root".
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from signing.keys import KeyAlgorithm
from signing.pdf import OfficialDocument, render_pdf
from signing.pki import Pki
from signing.trust import TrustStore
from tests.signing.support import AGENCY_A, AGENCY_B, ISSUED, NAME_A, NAME_B, NOW, Parties


@pytest.fixture(scope="session")
def parties(tmp_path_factory: pytest.TempPathFactory) -> Parties:
    pki = Pki.init(tmp_path_factory.mktemp("pki") / "pki", ISSUED - timedelta(days=400))
    pki.issue_org(AGENCY_A, NAME_A, ISSUED)
    pki.issue_org(AGENCY_B, NAME_B, ISSUED)
    leader = pki.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", ISSUED)
    leader_b = pki.issue_person(AGENCY_B, "Nguyễn Thị Lan", "Giám đốc", ISSUED)
    expired = pki.issue_person(
        AGENCY_A,
        "Trần Văn Cũ",
        "Phó Chủ tịch",
        NOW - timedelta(days=400),
        validity=timedelta(days=365),
    )
    future = pki.issue_person(AGENCY_A, "Lê Văn Mới", "Phó Chủ tịch", NOW + timedelta(days=10))
    revoked = pki.issue_person(AGENCY_A, "Đỗ Văn Thôi", "Phó Chủ tịch", ISSUED)
    pki.revoke(revoked.id, NOW - timedelta(days=1))
    foreign = Pki.init(tmp_path_factory.mktemp("foreign") / "pki", ISSUED - timedelta(days=400))
    foreign.issue_org(AGENCY_A, NAME_A, ISSUED)
    foreign_leader = foreign.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", ISSUED)
    return Parties(
        pki=pki,
        person=pki.signer(leader.id),
        organisation=pki.signer(f"{AGENCY_A}.org.1"),
        person_b=pki.signer(leader_b.id),
        organisation_b=pki.signer(f"{AGENCY_B}.org.1"),
        expired=pki.signer(expired.id),
        not_yet_valid=pki.signer(future.id),
        revoked=pki.signer(revoked.id),
        foreign_person=foreign.signer(foreign_leader.id),
        foreign_organisation=foreign.signer(f"{AGENCY_A}.org.1"),
    )


@pytest.fixture
def trust(parties: Parties) -> TrustStore:
    """Fresh caches for every test; CRLs issued at NOW."""
    return parties.pki.trust_store(NOW)


@pytest.fixture(scope="session")
def document() -> OfficialDocument:
    return OfficialDocument(
        agency_code=AGENCY_A,
        agency_name=NAME_A,
        number="125/UBND-VP",
        place="Ninh Bình",
        issued_on=date(2026, 3, 5),
        subject="V/v triển khai liên thông văn bản điện tử",
        body=(
            "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công "
            "tác văn thư, Ủy ban nhân dân tỉnh đề nghị các cơ quan gửi, nhận văn bản điện tử.\n\n"
            "Văn bản điện tử phải được ký số bởi người có thẩm quyền và của cơ quan, tổ chức."
        ),
        signer_name="Phạm Quang Ngọc",
        signer_position="Chủ tịch",
        competence="TM. ỦY BAN NHÂN DÂN",
        addressees=("Các sở, ban, ngành tỉnh;", "Ủy ban nhân dân các huyện, thành phố."),
    )


@pytest.fixture(scope="session")
def pdf(document: OfficialDocument) -> bytes:
    return render_pdf(document)


@pytest.fixture(scope="session")
def ec_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    pki = Pki.init(tmp_path_factory.mktemp("ec") / "pki", ISSUED, algorithm=KeyAlgorithm.ECDSA_P256)
    pki.issue_org(AGENCY_A, NAME_A, ISSUED)
    pki.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", ISSUED)
    return pki
