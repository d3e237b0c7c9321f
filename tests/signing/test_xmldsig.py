"""Envelope XML-DSig: xmlsec1 agrees, hubs may append trace hops, samples never pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.signer import XMLSigner

from exchange.domain.messages import TraceHeader
from exchange.edxml import append_trace, detach_attachments, parse_edxml, splice
from signing import xmldsig
from signing.envelope import DS, EDXML
from signing.errors import SigningError
from signing.signer import Signer
from signing.trust import TrustStore
from signing.verify import Problem
from tests.signing.support import LATER, NAME_A, NOW, SAMPLES, Parties, run, tool, write_ca_files


def _unsigned(sample: str) -> bytes:
    """A national sample without its (unverifiable) signature."""
    data = (SAMPLES / sample).read_bytes()
    root = etree.fromstring(data[data.find(b"<") :])
    header = root.find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader")
    assert header is not None
    for signature in header.findall(f"{{{EDXML}}}Signature"):
        header.remove(signature)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _through_the_hub(message: bytes) -> bytes:
    """What the hub does to a message: parse, append its TraceHeader, store apart, splice."""
    parsed = parse_edxml(message)
    append_trace(parsed.root, TraceHeader("000.00.00.G22", "2026/03/05 09:30:00"))
    detached = detach_attachments(parsed.root, "k" * 32)
    return splice(detached.skeleton, "k" * 32, [(p.data, p.layout) for p in detached.parts])


ID_ATTRIBUTES = [
    arg for name in ("MessageHeader", "Bussiness", "edXMLBody", "AttachmentEncoded")
    for arg in ("--id-attr:Id", name)
]  # fmt: skip
"""xmlsec1 finds elements by Id only for attributes it is told are IDs (there is no DTD)."""


def _xmlsec1(parties: Parties, message: bytes, directory: Path) -> bool:
    """Only the root given: KeyInfo carries the intermediate."""
    _, root, _ = write_ca_files(parties.pki, directory)
    (directory / "message.edxml").write_bytes(message)
    checked = run(
        tool("xmlsec1"), "--verify", "--trusted-pem", root, *ID_ATTRIBUTES,
        directory / "message.edxml",
    )  # fmt: skip
    return checked.returncode == 0


def _xml_crypto(signer: Signer, message: bytes, directory: Path) -> str:
    """xml-crypto's verdict ("valid: N references" or "invalid: ..."), from tests/js."""
    script = Path(__file__).resolve().parents[1] / "js" / "verify-xml.js"
    assert (script.parent / "node_modules" / "xml-crypto").is_dir(), "run scripts/bootstrap.sh"
    (directory / "message.xml").write_bytes(message)
    (directory / "signer.pem").write_bytes(signer.certificate.public_bytes(Encoding.PEM))
    checked = run(tool("node"), script, directory / "message.xml", directory / "signer.pem")
    return checked.stdout.strip() or checked.stderr.strip()


@pytest.fixture(scope="module")
def signed(parties: Parties) -> bytes:
    return xmldsig.sign_envelope(_unsigned("edoc_new.edxml"), parties.organisation)


def test_round_trip(signed: bytes, trust: TrustStore) -> None:
    result = xmldsig.verify_envelope(signed, trust, LATER)
    assert result.valid, result.reason
    assert result.intact and result.chain_trusted and result.algorithm_ok
    assert (result.signer, result.agency_code) == (NAME_A, "000.00.20.H42")


def test_the_signature_sits_last_in_the_header(signed: bytes) -> None:
    header = etree.fromstring(signed).find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader")
    assert header is not None and header[-1].tag == f"{{{DS}}}Signature"
    methods = {e.get("Algorithm") for e in header[-1].iter() if e.get("Algorithm")}
    assert SignatureMethod.RSA_SHA256.value in methods and DigestAlgorithm.SHA256.value in methods
    assert CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value in methods
    path = f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate"
    assert len(header[-1].findall(path)) == 2  # the organisation's, then the intermediate


@pytest.mark.parametrize(
    "sample",
    ["edoc_new.edxml", "edoc_update.edxml", "edoc_replacement.edxml", "status_inbox_01.edxml"],
)
def test_xmlsec1_verifies(sample: str, parties: Parties, tmp_path: Path) -> None:
    """edoc_update.edxml has CRLF line ends and leading junk: signed as parsed."""
    signed = xmldsig.sign_envelope(_unsigned(sample), parties.organisation)
    assert _xmlsec1(parties, signed, tmp_path)
    assert _xmlsec1(parties, _through_the_hub(signed), tmp_path)


def test_the_hub_appending_its_trace_keeps_the_signature(
    signed: bytes, parties: Parties, trust: TrustStore, tmp_path: Path
) -> None:
    delivered = _through_the_hub(signed)
    assert b"000.00.00.G22</edXML:OrganId>" in delivered and delivered != signed
    assert xmldsig.verify_envelope(delivered, trust, LATER).valid
    assert _xmlsec1(parties, delivered, tmp_path)
    assert _xml_crypto(parties.organisation, delivered, tmp_path) == "valid: 4 references"


def test_xml_crypto_refuses_a_change(signed: bytes, parties: Parties, tmp_path: Path) -> None:
    for changed in (
        signed.replace("V/v kết nối".encode(), "V/v hủy bỏ".encode(), 1),
        signed.replace(b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>1<"),
    ):
        assert changed != signed
        assert _xml_crypto(parties.organisation, changed, tmp_path).startswith("invalid")


def test_a_reference_moved_to_another_element_is_refused(signed: bytes, trust: TrustStore) -> None:
    """Signature wrapping: the Id put on a copy elsewhere, the original changed."""
    root = etree.fromstring(signed)
    body = root.find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLBody")
    assert body is not None
    copy = etree.fromstring(etree.tostring(body))
    root.append(copy)
    del body.attrib["Id"]
    wrapped = etree.tostring(root)
    assert xmldsig.verify_envelope(wrapped, trust, LATER).problem is Problem.MALFORMED


def test_a_status_package_gains_a_trace_list_and_stays_valid(
    parties: Parties, trust: TrustStore, tmp_path: Path
) -> None:
    status = xmldsig.sign_envelope(_unsigned("status_acceptance_03.edxml"), parties.organisation_b)
    assert b"<edXML:TraceHeaderList" not in status
    delivered = _through_the_hub(status)
    assert b"<edXML:TraceHeaderList" in delivered
    assert xmldsig.verify_envelope(delivered, trust, LATER).valid
    assert _xmlsec1(parties, delivered, tmp_path)


def test_the_envelope_changed_after_signing(
    signed: bytes, parties: Parties, trust: TrustStore, tmp_path: Path
) -> None:
    changed = signed.replace("V/v kết nối".encode(), "V/v hủy bỏ".encode(), 1)
    assert changed != signed
    result = xmldsig.verify_envelope(changed, trust, LATER)
    assert result.problem is Problem.TAMPERED and not result.intact and result.chain_trusted
    assert not _xmlsec1(parties, changed, tmp_path)


def test_the_business_part_of_the_trace_list_stays_signed(signed: bytes, trust: TrustStore) -> None:
    kind = b"<edXML:BussinessDocType>0</edXML:BussinessDocType>"
    assert kind in signed
    recalled = signed.replace(kind, b"<edXML:BussinessDocType>1</edXML:BussinessDocType>")
    assert xmldsig.verify_envelope(recalled, trust, LATER).problem is Problem.TAMPERED


def test_without_the_trace_exclusion_the_hub_breaks_it(parties: Parties, trust: TrustStore) -> None:
    strict = xmldsig.sign_envelope(
        _unsigned("edoc_new.edxml"), parties.organisation, exclude_trace=False
    )
    assert xmldsig.verify_envelope(strict, trust, LATER).valid
    assert (
        xmldsig.verify_envelope(_through_the_hub(strict), trust, LATER).problem is Problem.TAMPERED
    )


def test_a_reference_left_out_is_refused(signed: bytes, trust: TrustStore) -> None:
    root = etree.fromstring(signed)
    references = root.findall(f".//{{{DS}}}SignedInfo/{{{DS}}}Reference")
    references[-1].getparent().remove(references[-1])  # type: ignore[union-attr]
    narrowed = etree.tostring(root)
    assert xmldsig.verify_envelope(narrowed, trust, LATER).problem is Problem.MALFORMED


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        ("foreign_organisation", Problem.UNKNOWN_ISSUER),
        ("revoked", Problem.REVOKED),
        ("expired", Problem.EXPIRED),
    ],
)
def test_certificate_problems(
    parties: Parties, trust: TrustStore, who: str, problem: Problem
) -> None:
    signer: Signer = getattr(parties, who)
    message = xmldsig.sign_envelope(_unsigned("edoc_new.edxml"), signer)
    result = xmldsig.verify_envelope(message, trust, LATER)
    assert result.problem is problem and result.intact


class _Sha1Signer(XMLSigner):
    def check_deprecated_methods(self) -> None:
        """Allow SHA-1, as the legacy samples use it."""


def test_sha1_is_weak_not_valid(parties: Parties, trust: TrustStore) -> None:
    root = etree.fromstring(_unsigned("edoc_new.edxml"))
    header = root.find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader")
    assert header is not None
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    legacy = _Sha1Signer(
        signature_algorithm=SignatureMethod.RSA_SHA1,
        digest_algorithm=DigestAlgorithm.SHA1,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    certificate = parties.organisation.certificate.public_bytes(Encoding.PEM).decode()
    message = etree.tostring(legacy.sign(root, key=parties.organisation.key, cert=[certificate]))
    result = xmldsig.verify_envelope(message, trust, LATER)
    assert result.problem is Problem.WEAK_ALGORITHM
    assert result.intact and result.chain_trusted and not result.algorithm_ok


def test_an_ecdsa_envelope(ec_pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from signing.profiles import CertificateKind
    from tests.signing.support import AGENCY_A

    seal = ec_pki.signer(ec_pki.current(AGENCY_A, CertificateKind.ORGANISATION).id)
    message = xmldsig.sign_envelope(_unsigned("edoc_new.edxml"), seal)
    assert xmldsig.verify_envelope(_through_the_hub(message), ec_pki.trust_store(NOW), LATER).valid


SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.edxml"))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_national_samples_are_never_valid_and_never_crash(name: str, trust: TrustStore) -> None:
    result = xmldsig.verify_envelope((SAMPLES / name).read_bytes(), trust, LATER)
    assert not result.valid and result.problem is not None
    if name.startswith("edoc_"):  # RSA-SHA1, X509Certificate "MIIFqTCCBJG"
        assert result.problem is Problem.UNVERIFIABLE_CERTIFICATE and not result.algorithm_ok
        assert "truncated" in result.reason
    elif name == "edoc.edxml":  # an unbound xlink: prefix
        assert result.problem is Problem.MALFORMED
    else:
        assert result.problem is Problem.UNSIGNED


def test_the_samples_are_all_there() -> None:
    assert len(SAMPLE_FILES) == 15


def test_signing_refuses_what_it_cannot_sign(signed: bytes, parties: Parties) -> None:
    with pytest.raises(SigningError, match="signed already"):
        xmldsig.sign_envelope(signed, parties.organisation)
    with pytest.raises(SigningError, match="Not an edXML message"):
        xmldsig.sign_envelope(b"<root/>", parties.organisation)
    with pytest.raises(SigningError, match="well-formed"):
        xmldsig.sign_envelope(b"<edXML", parties.organisation)


@pytest.mark.parametrize(
    "data",
    [b"", b"<a/>", b'<!DOCTYPE x [<!ENTITY e "v">]><x>&e;</x>', b"\xff\xfe<x/>"],
)
def test_bad_xml_is_malformed(data: bytes, trust: TrustStore) -> None:
    assert xmldsig.verify_envelope(data, trust, LATER).problem is Problem.MALFORMED
