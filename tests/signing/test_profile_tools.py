"""The certificate profile as outside tools read it: openssl's RFC 5280 policy processing,
GnuTLS certtool decoding the policies, pkilint finding no error; names of 64 characters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from signing.pki import Pki
from signing.profiles import TSA_POLICY, CertificateKind, policy_oid
from tests.signing.support import AGENCY_A, ISSUED, NOW, Parties, run, tool, write_ca_files


def _pem(certificate: x509.Certificate, path: Path) -> Path:
    path.write_bytes(certificate.public_bytes(Encoding.PEM))
    return path


def _leaves(parties: Parties) -> dict[str, tuple[x509.Certificate, x509.ObjectIdentifier]]:
    return {
        "person": (parties.person.certificate, policy_oid(CertificateKind.PERSON)),
        "org": (parties.organisation.certificate, policy_oid(CertificateKind.ORGANISATION)),
        "tsa": (parties.pki.tsa_certificate, TSA_POLICY),
    }


def test_openssl_policy_processing_holds_for_each_kind(parties: Parties, tmp_path: Path) -> None:
    _, root, intermediate = write_ca_files(parties.pki, tmp_path)
    for name, (certificate, oid) in _leaves(parties).items():
        leaf = _pem(certificate, tmp_path / f"{name}.pem")
        checked = run(
            tool("openssl"), "verify", "-x509_strict", "-explicit_policy",
            "-policy", oid.dotted_string, "-purpose", "any",
            "-CAfile", root, "-untrusted", intermediate, leaf,
        )  # fmt: skip
        assert checked.returncode == 0 and f"{leaf}: OK" in checked.stdout, checked.stderr
    person = tmp_path / "person.pem"
    wrong = run(
        tool("openssl"), "verify", "-x509_strict", "-explicit_policy",
        "-policy", policy_oid(CertificateKind.ORGANISATION).dotted_string,
        "-CAfile", root, "-untrusted", intermediate, person,
    )  # fmt: skip
    assert wrong.returncode != 0 and "no explicit policy" in wrong.stdout + wrong.stderr


def test_certtool_decodes_the_policies(parties: Parties, tmp_path: Path) -> None:
    for name, (certificate, oid) in _leaves(parties).items():
        shown = run(
            tool("certtool"),
            "--certificate-info",
            "--infile",
            _pem(certificate, tmp_path / f"{name}.pem"),
        )
        assert shown.returncode == 0, shown.stderr
        assert "Certificate Policies (not critical):" in shown.stdout
        assert oid.dotted_string in shown.stdout and "error" not in shown.stderr.lower()
    shown = run(
        tool("certtool"),
        "--certificate-info",
        "--infile",
        _pem(parties.pki.intermediate, tmp_path / "i.pem"),
    )
    assert policy_oid(CertificateKind.PERSON).dotted_string in shown.stdout


def _pkilint(command: str, path: Path, *options: str) -> list[object]:
    """pkilint's findings of severity ERROR or worse (JSON), each with its validator."""
    installed = Path(sys.executable).parent / command  # pkilint: a dev dependency in .venv
    assert installed.exists(), f"{command} is missing: run scripts/bootstrap.sh"
    linted = run(installed, "lint", *options, "-f", "JSON", "-s", "ERROR", path)
    assert linted.returncode in (0, 1) and linted.stdout, linted.stderr
    return list(json.loads(linted.stdout)["results"])


@pytest.mark.parametrize("name", ["root", "intermediate", "person", "org", "tsa"])
def test_pkilint_finds_no_error(parties: Parties, tmp_path: Path, name: str) -> None:
    pki = parties.pki
    certificates = {"root": pki.root, "intermediate": pki.intermediate}
    certificates.update({k: v[0] for k, v in _leaves(parties).items()})
    findings = _pkilint("lint_pkix_cert", _pem(certificates[name], tmp_path / f"{name}.pem"))
    assert findings == []


def test_pkilint_finds_no_error_in_the_crls(parties: Parties, tmp_path: Path) -> None:
    for index, crl in enumerate(parties.pki.crls(NOW)):
        path = tmp_path / f"{index}.crl"
        path.write_bytes(crl.public_bytes(Encoding.PEM))
        assert _pkilint("lint_crl", path, "-t", "CRL", "-p", "PKIX") == []


def test_the_organisation_name_is_bounded_in_characters(tmp_path: Path) -> None:
    """64 Vietnamese characters (more than 64 bytes) stay whole in O; a 65th cuts it."""
    pki = Pki.init(tmp_path / "pki", ISSUED)
    name = "Ủy ban nhân dân xã Đồng Hướng, huyện Kim Sơn, tỉnh Ninh Bình Việt Nam"[:64]
    assert len(name) == 64 and len(name.encode()) > 64
    issued = pki.issue_org(AGENCY_A, name, ISSUED)
    subject = pki.certificate(issued.id).subject
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == name
    longer = pki.issue_org("000.00.21.H42", name + "X", ISSUED)
    cut = pki.certificate(longer.id).subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert cut[0].value == name[:63] + "…"
