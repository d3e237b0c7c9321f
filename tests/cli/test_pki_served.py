"""`eoffice serve` also serves the simulated CA at /pki (CRLs, CA certificates, OCSP), and
openssl, as any relying party would, checks a certificate there: good, then revoked with the
reason `eoffice pki revoke` gave."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from tests.cli.support import eoffice_env, run, serving

AGENCY = "000.00.20.H42"


def _openssl_ocsp(folder: Path, base: str) -> str:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is installed by scripts/bootstrap.sh"
    asked = subprocess.run(
        [openssl, "ocsp", "-issuer", "ca/intermediate.pem", "-cert", "leaf.pem",
         "-url", f"{base}/pki/ocsp", "-CAfile", "ca/ca-bundle.pem"],
        cwd=folder, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "Response verify OK" in asked.stderr
    return asked.stdout


@pytest.mark.db
def test_the_hub_serves_the_ca(database_url: str, tmp_path: Path) -> None:
    env = eoffice_env(database_url, tmp_path / "data")
    assert run(env, "pki", "init").returncode == 0
    issued = run(env, "pki", "issue", AGENCY, "--name", "Ủy ban nhân dân tỉnh Ninh Bình")
    assert issued.returncode == 0, issued.stderr
    entry_id = issued.stdout.split()[0]
    exported = run(env, "pki", "export", "--out", str(tmp_path / "ca"))
    assert exported.returncode == 0, exported.stderr
    assert {p.name for p in (tmp_path / "ca").iterdir()} == {
        "ca-bundle.pem", "root.pem", "intermediate.pem", "crl.pem",
    }  # fmt: skip
    leaf = (tmp_path / "data" / "pki" / "issued" / f"{entry_id}.pem").read_bytes()
    (tmp_path / "leaf.pem").write_bytes(leaf)
    with serving(env, tmp_path, workers=1) as base:
        for name in ("root", "intermediate"):
            crl = httpx.get(f"{base}/pki/{name}.crl")
            assert crl.headers["content-type"] == "application/pkix-crl"
            assert x509.load_der_x509_crl(crl.content).issuer.rfc4514_string()
            assert x509.load_der_x509_certificate(httpx.get(f"{base}/pki/{name}.cer").content)
        assert httpx.get(f"{base}/pki/root.key").status_code == 404
        assert "leaf.pem: good" in _openssl_ocsp(tmp_path, base)
        revoked = run(env, "pki", "revoke", entry_id, "--reason", "superseded")
        assert revoked.returncode == 0, revoked.stderr
        answer = _openssl_ocsp(tmp_path, base)
        assert "leaf.pem: revoked" in answer and "Reason: superseded" in answer
