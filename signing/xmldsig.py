"""Enveloped XML-DSig on edXML messages, as the national samples carry: RSA-SHA256 (or
ECDSA-SHA256), exclusive canonicalisation, the organisation's certificate and its
intermediate in KeyInfo, the ds:Signature last in edXMLHeader. signxml signs and verifies;
`envelope` explains which parts are referenced (by Id) and why the trace hops are not.
Verified outside with
    xmlsec1 --verify --trusted-pem root.pem --id-attr:Id MessageHeader --id-attr:Id Bussiness \
        --id-attr:Id edXMLBody --id-attr:Id AttachmentEncoded message.edxml
and with xml-crypto (npm), as .NET-style integrators check it.
An envelope's signature is checked as of `now` (it carries no signing time of its own).
"""

from __future__ import annotations

import binascii
from datetime import datetime

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
    detach_traces,
    header_of,
    mark_signed_parts,
    parse_xml,
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
_REFERENCES = f"{{{DS}}}SignedInfo/{{{DS}}}Reference"


def sign_envelope(xml: bytes, signer: Signer, *, exclude_trace: bool = True) -> bytes:
    """`xml` with an enveloped signature by `signer` (the organisation) in edXMLHeader.

    With `exclude_trace` (the default) the signature references the message's parts by Id,
    the trace hops left out, so that hubs can append to them; without, it covers the whole
    message (URI="") and any change at all breaks it.
    """
    root = parse_xml(xml)
    header = header_of(root)
    if header.find(f"{{{DS}}}Signature") is not None:
        raise SigningError("The message is signed already.")
    references = mark_signed_parts(root) if exclude_trace else None
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    chain = [signer.certificate, *signer.chain]
    signed = _signer(signer).sign(
        root,
        key=signer.key,
        cert=[c.public_bytes(Encoding.PEM).decode() for c in chain],
        reference_uri=references,
    )
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


class _XMLSigner(XMLSigner):
    @property
    def parser(self) -> etree.XMLParser:
        """signxml re-parses the message; large attachments need `huge_tree`."""
        return safe_parser()


def _signer(signer: Signer) -> XMLSigner:
    rsa_key = isinstance(signer.key, rsa.RSAPrivateKey)
    return _XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256 if rsa_key else SignatureMethod.ECDSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )


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
    problem = transform_problem(found.signature, root)
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
    integrity = _integrity(root, leaf, len(found.signature.findall(_REFERENCES)))
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


def _integrity(
    root: etree._Element, leaf: x509.Certificate, references: int
) -> tuple[Problem | None, str]:
    config = SignatureConfiguration(
        location=_LOCATION,
        expect_references=references,
        signature_methods=frozenset(SignatureMethod),  # weak ones are reported, not refused
        digest_algorithms=frozenset(DigestAlgorithm),
        verification_time=leaf.not_valid_before_utc,  # validity is TrustStore's to judge
    )
    try:
        XMLVerifier().verify(
            root, x509_cert=leaf, expect_config=config, parser=safe_parser(), id_attribute="Id"
        )
    except InvalidDigest:
        return Problem.TAMPERED, "The message was changed after it was signed."
    except InvalidSignature:
        return Problem.SIGNATURE_INVALID, "The signature value does not match the certificate."
    except (InvalidInput, SignXMLException, binascii.Error, ValueError) as error:
        return Problem.MALFORMED, f"The signature cannot be checked: {error}"
    return None, ""
