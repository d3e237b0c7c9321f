"""`eoffice pdf | sign | verify | pki` as a trainer or an outside tool uses them, with the real
openssl binary checking what the project signs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.db
EOFFICE = [sys.executable, "-m", "eoffice"]
AGENCY = "000.00.00.H37"


def _run(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EOFFICE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    variables = {
        **os.environ,
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    seeded = _run(variables, "seed", "ninh-binh", cwd=tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert "certificates: 366 issued (rsa2048" in seeded.stdout  # the default: RSA-2048
    return variables


def test_sign_export_verify_with_openssl_then_revoke(env: dict[str, str], tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is installed by scripts/bootstrap.sh"
    document_id = f"{AGENCY},2026/11/21,125/UBND-VP"
    assert _run(env, "pdf", "--agency", AGENCY, "--out", "cv.pdf", cwd=tmp_path).returncode == 0
    signed = _run(env, "sign", "cv.pdf", "--agency", AGENCY, "--format", "cms", cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    assert _run(env, "pki", "export", "--out", "ca", cwd=tmp_path).returncode == 0
    checked = subprocess.run(
        [openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", "cv.pdf.p7s",
         "-content", "cv.pdf", "-CAfile", "ca/ca-bundle.pem", "-purpose", "any",
         "-out", os.devnull],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "Verification successful" in checked.stderr

    pades = _run(
        env, "sign", "cv.pdf", "--agency", AGENCY, "--document-id", document_id, cwd=tmp_path
    )
    assert pades.returncode == 0, pades.stderr
    ok = _run(env, "verify", "cv.signed.pdf", "--document-id", document_id, cwd=tmp_path)
    assert ok.returncode == 0 and "document: VALID" in ok.stdout
    plain = _run(
        env, "sign", "cv.pdf", "--agency", AGENCY, "--level", "B-B", "--out", "plain.pdf",
        cwd=tmp_path,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr

    revoked = _run(env, "pki", "revoke", f"{AGENCY}.org.1", cwd=tmp_path)
    assert revoked.returncode == 0, revoked.stderr
    after = _run(env, "verify", "plain.pdf", "--document-id", document_id, cwd=tmp_path)
    assert after.returncode == 1
    assert "INVALID (revoked)" in after.stdout
    # B-LT (the default): timestamped before the revocation, judged as of its timestamp
    lasting = _run(env, "verify", "cv.signed.pdf", "--document-id", document_id, cwd=tmp_path)
    assert lasting.returncode == 0 and "timestamped" in lasting.stdout, lasting.stdout
