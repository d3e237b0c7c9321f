"""Outside tools refuse what they should, each with its reason: an expired and a revoked
signer (openssl, xmlsec1), a changed byte (pyHanko), with the CRLs the PKI publishes."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing import cms, pades, xmldsig
from signing.hanko import to_asn1
from signing.signer import Signer
from tests.signing.support import LATER, NOW, Parties, run, tool, write_ca_files
from tests.signing.test_xmldsig import ID_ATTRIBUTES, _unsigned


def _openssl_cms(parties: Parties, signer: Signer, pdf: bytes, folder: Path) -> str:
    """openssl's verdict on `signer`'s .p7s, CRLs checked, at the real time."""
    trusted = folder / "trusted.pem"  # the CA certificates and their CRLs, as openssl reads them
    trusted.write_bytes(parties.pki.export_bundle() + parties.pki.crl_pem(NOW))
    (folder / "doc.pdf").write_bytes(pdf)
    (folder / "doc.p7s").write_bytes(cms.sign_detached(pdf, signer, NOW))
    checked = run(
        tool("openssl"), "cms", "-verify", "-binary", "-inform", "DER",
        "-in", folder / "doc.p7s", "-content", folder / "doc.pdf", "-CAfile", trusted,
        "-purpose", "any", "-crl_check",
        "-attime", str(int(LATER.timestamp())), "-out", "/dev/null",
    )  # fmt: skip
    return checked.stderr


def test_openssl_refuses_an_expired_and_a_revoked_signer(
    parties: Parties, pdf: bytes, tmp_path: Path
) -> None:
    assert "Verification successful" in _openssl_cms(parties, parties.person, pdf, tmp_path)
    assert "certificate has expired" in _openssl_cms(parties, parties.expired, pdf, tmp_path)
    assert "certificate revoked" in _openssl_cms(parties, parties.revoked, pdf, tmp_path)


def test_xmlsec1_refuses_an_expired_signer(parties: Parties, tmp_path: Path) -> None:
    _, root, _ = write_ca_files(parties.pki, tmp_path)
    message = xmldsig.sign_envelope(_unsigned("edoc_new.edxml"), parties.expired)
    (tmp_path / "message.edxml").write_bytes(message)
    checked = run(
        tool("xmlsec1"), "--verify", "--trusted-pem", root, *ID_ATTRIBUTES,
        tmp_path / "message.edxml",
    )  # fmt: skip
    assert checked.returncode != 0 and "expired" in checked.stderr.lower(), checked.stderr


def test_pyhanko_refuses_a_changed_byte(parties: Parties, pdf: bytes) -> None:
    signed = pades.sign_document_pdf(
        pdf, parties.person, parties.organisation, NOW, document_id=None
    )
    changed = bytearray(signed)
    changed[200] ^= 0x01
    pki = parties.pki
    context = ValidationContext(
        trust_roots=[to_asn1(pki.root)],
        other_certs=[to_asn1(pki.intermediate)],
        crls=[asn1_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in pki.crls(NOW)],
        allow_fetching=False,
        revocation_mode="require",
        moment=LATER,
    )
    embedded = PdfFileReader(BytesIO(bytes(changed))).embedded_signatures[0]
    status = validate_pdf_signature(embedded, context)
    assert not status.intact and not status.bottom_line
