"""The agencies' keys: only valid, unrevoked certificates sign; the lessons' certificates fail
the way they should; the CRL is republished before it grows old."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from exchange.web.keys import Keys
from signing import KeyAlgorithm, Pki, PkiError, pades
from signing.pdf import OfficialDocument, render_pdf

AGENCY, NAME = "000.00.02.H37", "Sở Nội vụ tỉnh Ninh Bình"
NOW = datetime.now(UTC)


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    pki = Pki.init(tmp_path / "pki", NOW, algorithm=KeyAlgorithm.ECDSA_P256)
    pki.issue_org(AGENCY, NAME, NOW)
    pki.issue_person(AGENCY, "Trần Văn Việt", "Giám đốc", NOW, agency_name=NAME)
    pki.publish(NOW)
    return Keys(tmp_path / "pki", lambda: datetime.now(UTC))


def _verdict(keys: Keys, person_id: str) -> str | None:
    document = OfficialDocument(
        AGENCY, NAME, "01/SNV-VP", "Ninh Bình", NOW.date(), "V/v thử", "Nội dung.", "A", "B"
    )
    signed = pades.sign_document_pdf(
        render_pdf(document),
        keys.person(AGENCY, person_id),
        keys.organisation(AGENCY),
        datetime.now(UTC),
        document_id=None,
    )
    trust = Pki(keys.directory).trust_store(datetime.now(UTC))
    problem = pades.verify_pdf(signed, trust, datetime.now(UTC)).problem
    return problem.value if problem else None


def test_the_leader_signs_validly(keys: Keys) -> None:
    (leader,) = keys.people(AGENCY)
    assert (leader.name, leader.position) == ("Trần Văn Việt", "Giám đốc")
    assert _verdict(keys, leader.id) is None


@pytest.mark.parametrize("problem", ["expired", "revoked"])
def test_a_lesson_certificate_fails_as_named_and_is_never_offered(keys: Keys, problem: str) -> None:
    deputy = keys.lesson_person(AGENCY, NAME, "Đỗ Thu Hà", "Phó Giám đốc", problem=problem)
    assert deputy.id not in [p.id for p in keys.people(AGENCY)]
    assert _verdict(keys, deputy.id) == problem


def test_another_agencys_certificate_is_refused(keys: Keys) -> None:
    (leader,) = keys.people(AGENCY)
    with pytest.raises(PkiError, match="not a person certificate"):
        keys.person("000.00.03.H37", leader.id)


def test_an_old_crl_is_published_again(keys: Keys) -> None:
    crl = keys.directory / "public" / "crl.pem"
    fresh = crl.stat().st_mtime_ns
    keys.keep_crl_fresh()
    assert crl.stat().st_mtime_ns == fresh  # a day has not passed
    old = (NOW - timedelta(days=2)).timestamp()
    os.utime(crl, (old, old))
    keys.keep_crl_fresh()
    assert crl.stat().st_mtime > old + 86400
