"""Enveloped XML-DSig on edXML messages, as the national samples carry: RSA-SHA256 (or
ECDSA-SHA256), exclusive canonicalisation, the organisation's certificate in KeyInfo, the
ds:Signature last in edXMLHeader. signxml signs and verifies; `envelope` explains the
TraceHeaderList exclusion. Verified outside with
    xmlsec1 --verify --trusted-pem root.pem --untrusted-pem intermediate.pem message.edxml
An envelope's signature is checked as of `now` (it carries no signing time of its own).
"""

from __future__ import annotations

import binascii
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidDigest, InvalidInput, InvalidSignature, SignXMLException
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from signing.envelope import (
    DS,
    EDXML,
    FILTER2,
    TRACE_XPATH,
    detach_traces,
    header_of,
    parse_xml,
    restore_traces,
    safe_parser,
)
from signing.errors import SigningError
from signing.profiles import identity_of
from signing.signer import Signer
from signing.trust import TrustStore
from signing.verify import Problem, VerificationResult
from signing.xmlprofile import Located, locate, transform_problem

__all__ = ["sign_envelope", "verify_envelope"]

_LOCATION = f"./{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader/"


def sign_envelope(xml: bytes, signer: Signer, *, exclude_trace: bool = True) -> bytes:
    """`xml` with an enveloped signature by `signer` (the organisation) in edXMLHeader.

    With `exclude_trace` (the default) TraceHeaderList is left out of the signature, so
    that hubs can append to it; without, any change at all breaks the signature.
    """
    root = parse_xml(xml)
    header = header_of(root)
    if header.find(f"{{{DS}}}Signature") is not None:
        raise SigningError("The message is signed already.")
    detached = detach_traces(header) if exclude_trace else []
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    signed = _signer(signer, exclude_trace).sign(
        root, key=signer.key, cert=[signer.certificate.public_bytes(Encoding.PEM).decode()]
    )
    restore_traces(header_of(signed), detached)
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


class _XMLSigner(XMLSigner):
    @property
    def parser(self) -> etree.XMLParser:
        """signxml re-parses the message; large attachments need `huge_tree`."""
        return safe_parser()


def _signer(signer: Signer, exclude_trace: bool) -> XMLSigner:
    rsa_key = isinstance(signer.key, rsa.RSAPrivateKey)
    xml_signer = _XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256 if rsa_key else SignatureMethod.ECDSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    if exclude_trace:
        xml_signer.signature_annotators.append(_add_trace_filter)
    return xml_signer


def _add_trace_filter(signature: etree._Element, signing_settings: Any) -> None:
    """Insert the XPath Filter 2.0 transform after enveloped-signature (before the digest
    is signed: signxml runs annotators before canonicalising SignedInfo)."""
    transforms = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference/{{{DS}}}Transforms")
    if transforms is None:
        raise SigningError("signxml built no Transforms element.")
    transform = etree.Element(f"{{{DS}}}Transform", Algorithm=FILTER2)
    nsmap = {"dsig-xpath": FILTER2, "edXML": EDXML}
    xpath = etree.SubElement(transform, f"{{{FILTER2}}}XPath", Filter="subtract", nsmap=nsmap)
    xpath.text = TRACE_XPATH
    transforms.insert(1, transform)


def verify_envelope(xml: bytes, trust: TrustStore, now: datetime) -> VerificationResult:
    """The message's envelope signature, checked as of `now`."""
    try:
        root = parse_xml(xml)
        header = header_of(root)
    except SigningError as error:
        return VerificationResult.failed(Problem.MALFORMED, str(error))
    found = locate(header, trust)
    if isinstance(found, VerificationResult):
        return found
    problem = transform_problem(found.signature)
    if problem:
        return VerificationResult.failed(
            Problem.MALFORMED, problem, algorithm_ok=found.algorithm_ok
        )
    if found.excludes_trace:
        detach_traces(header)
    return _judge(root, found, trust, now)


def _judge(
    root: etree._Element, found: Located, trust: TrustStore, now: datetime
) -> VerificationResult:
    leaf = found.certificates[0]
    integrity = _integrity(root, leaf)
    others = found.certificates[1:]
    check = trust.check(leaf, others, signing_time=now, now=now)
    problem, reason = next(
        ((p, r) for p, r in (integrity, (check.problem, check.reason)) if p is not None),
        (None if found.algorithm_ok else Problem.WEAK_ALGORITHM, found.algorithm_reason),
    )
    identity = identity_of(leaf)
    return VerificationResult(
        intact=integrity[0] is None,
        chain_trusted=check.chain_trusted,
        time_valid=check.time_valid,
        not_revoked=check.not_revoked,
        algorithm_ok=found.algorithm_ok,
        problem=problem,
        reason=reason or f"Valid envelope signature by {identity.signer}.",
        signer=identity.signer,
        organisation=identity.organisation,
        agency_code=identity.agency_code,
        kind=identity.kind,
        signing_time=None,
        serial=leaf.serial_number,
    )


def _integrity(root: etree._Element, leaf: x509.Certificate) -> tuple[Problem | None, str]:
    config = SignatureConfiguration(
        location=_LOCATION,
        expect_references=1,
        signature_methods=frozenset(SignatureMethod),  # weak ones are reported, not refused
        digest_algorithms=frozenset(DigestAlgorithm),
        verification_time=leaf.not_valid_before_utc,  # validity is TrustStore's to judge
    )
    try:
        XMLVerifier().verify(root, x509_cert=leaf, expect_config=config, parser=safe_parser())
    except InvalidDigest:
        return Problem.TAMPERED, "The message was changed after it was signed."
    except InvalidSignature:
        return Problem.SIGNATURE_INVALID, "The signature value does not match the certificate."
    except (InvalidInput, SignXMLException, binascii.Error, ValueError) as error:
        return Problem.MALFORMED, f"The signature cannot be checked: {error}"
    return None, ""
