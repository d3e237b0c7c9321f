"""`eoffice sign` refuses an expired certificate in one line (exit 2); `eoffice verify` calls
a signature made with one expired, as every outside tool does; `eoffice sign` makes B-LT."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from signing import OfficialDocument, Pki, pades, render_pdf
from tests.cli.support import eoffice_env, run

AGENCY, NAME = "000.00.20.H42", "Ủy ban nhân dân tỉnh Ninh Bình"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = eoffice_env("sqlite:///" + str(tmp_path / "hub.db"), tmp_path / "data")
    assert run(env, "pki", "init").returncode == 0
    for extra in ([], ["--person", "Phạm Quang Ngọc"]):
        issued = run(env, "pki", "issue", AGENCY, "--name", NAME, *extra)
        assert issued.returncode == 0, issued.stderr
    document = OfficialDocument(
        AGENCY, NAME, "3/UBND-VP", "Ninh Bình", date(2026, 3, 5), "V/v thử",
        "Nội dung.", "Phạm Quang Ngọc", "Chủ tịch",
    )  # fmt: skip
    (tmp_path / "cv.pdf").write_bytes(render_pdf(document))
    return env


def test_sign_makes_a_long_term_signature_that_verifies(
    env: dict[str, str], tmp_path: Path
) -> None:
    signed = run(env, "sign", str(tmp_path / "cv.pdf"), "--agency", AGENCY)
    assert signed.returncode == 0, signed.stderr
    verified = run(env, "verify", str(tmp_path / "cv.signed.pdf"))
    assert verified.returncode == 0 and "document: VALID" in verified.stdout, verified.stdout
    assert verified.stdout.count("timestamped") == 2


def test_an_expired_certificate_is_refused_then_named(env: dict[str, str], tmp_path: Path) -> None:
    pki = Pki(tmp_path / "data" / "pki")
    now = datetime.now(UTC)
    old = pki.issue_person(
        AGENCY, "Trần Văn Cũ", "Chủ tịch", now - timedelta(days=400), validity=timedelta(days=365)
    )
    refused = run(env, "sign", str(tmp_path / "cv.pdf"), "--agency", AGENCY)
    assert refused.returncode == 2 and not (tmp_path / "cv.signed.pdf").exists()
    (line,) = refused.stderr.strip().splitlines()[-1:]
    assert line.startswith("eoffice sign: the certificate of Trần Văn Cũ") and "expired at" in line
    assert "Traceback" not in refused.stderr

    made_anyway = pades.sign_document_pdf(
        (tmp_path / "cv.pdf").read_bytes(),
        pki.signer(old.id),
        pki.signer(f"{AGENCY}.org.1"),
        now,
        document_id=None,
    )
    (tmp_path / "old.pdf").write_bytes(made_anyway)
    verified = run(env, "verify", str(tmp_path / "old.pdf"))
    assert verified.returncode == 1 and "INVALID (expired)" in verified.stdout, verified.stdout
