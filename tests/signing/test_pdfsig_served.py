"""poppler's pdfsig, with our root in an NSS trust store and its online OCSP check against the
served CA: both signatures intact, the person's certificate trusted, a changed byte a digest
mismatch, a revoked signer revoked.

Known gap: in one pdfsig run NSS checks the first signature's certificate over OCSP (GET,
accepted), then refuses the answers for the second's (GET, then POST, both "good") and calls
that certificate "Unknown issue"; each signature alone is trusted, whichever comes first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from signing import pades
from signing.pdf import OfficialDocument, render_pdf
from tests.signing.served import ServedPki, served_pki
from tests.signing.support import AGENCY_A, NAME_A, run, tool


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPki]:
    now = datetime.now(UTC)
    with served_pki(tmp_path_factory.mktemp("pdfsig") / "pki", now - timedelta(days=30)) as pki:
        pki.pki.issue_org(AGENCY_A, NAME_A, now - timedelta(days=1))
        pki.pki.issue_person(AGENCY_A, "Phạm Quang Ngọc", "Chủ tịch", now - timedelta(days=1))
        yield pki


@pytest.fixture(scope="module")
def nss(served: ServedPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NSS database trusting our root, as a relying party would set one up."""
    folder = tmp_path_factory.mktemp("nss")
    root = folder / "root.pem"
    root.write_bytes(served.pki.root.public_bytes(Encoding.PEM))
    certutil = tool("certutil")
    made = run(certutil, "-N", "-d", f"sql:{folder}", "--empty-password")
    assert made.returncode == 0, made.stderr
    added = run(certutil, "-A", "-d", f"sql:{folder}", "-n", "root", "-t", "CT,C,C", "-i", root)
    assert added.returncode == 0, added.stderr
    return folder


def _signed(served: ServedPki, tmp_path: Path) -> Path:
    now = datetime.now(UTC)
    document = OfficialDocument(
        AGENCY_A, NAME_A, "5/UBND-VP", "Ninh Bình", date(2026, 3, 5), "V/v thử pdfsig",
        "Nội dung.", "Phạm Quang Ngọc", "Chủ tịch",
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
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    return path


def _verdicts(nss: Path, pdf: Path) -> dict[str, tuple[str, str]]:
    """Per signature field: (signature validation, certificate validation)."""
    checked = run(tool("pdfsig"), "-nssdir", f"sql:{nss}", pdf)
    fields = re.findall(
        r"Signature Field Name: (\S+).*?Signature Validation: ([^\n]*)(?:\n\s*- Certificate"
        r" Validation: ([^\n]*))?",
        checked.stdout,
        re.DOTALL,
    )
    return {name: (signature, certificate) for name, signature, certificate in fields}


def test_pdfsig_says_valid_and_trusted(served: ServedPki, nss: Path, tmp_path: Path) -> None:
    verdicts = _verdicts(nss, _signed(served, tmp_path))
    assert verdicts[pades.PERSON_FIELD] == ("Signature is Valid.", "Certificate is Trusted.")
    assert verdicts[pades.ORGANISATION_FIELD][0] == "Signature is Valid.", verdicts


def test_pdfsig_sees_a_changed_byte(served: ServedPki, nss: Path, tmp_path: Path) -> None:
    path = _signed(served, tmp_path)
    changed = bytearray(path.read_bytes())
    changed[200] ^= 0x01
    path.write_bytes(bytes(changed))
    verdicts = _verdicts(nss, path)
    assert verdicts[pades.PERSON_FIELD][0] == "Digest Mismatch.", verdicts


def test_pdfsig_sees_a_revocation(served: ServedPki, nss: Path, tmp_path: Path) -> None:
    path = _signed(served, tmp_path)
    served.pki.revoke(f"{AGENCY_A}.person.1", datetime.now(UTC))
    verdicts = _verdicts(nss, path)
    revoked = ("Signature is Valid.", "Certificate has been Revoked.")
    assert verdicts[pades.PERSON_FIELD] == revoked, verdicts
