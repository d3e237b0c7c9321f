"""What an envelope signature must look like before signxml is asked to check it.

signxml skips transforms it does not know, and would check whatever a Reference points at;
so the references are matched here against the three profiles we accept: one Reference to
the whole message, plain enveloped (the national samples) or enveloped + the TraceHeaderList
filter (ours until now); or one Reference per signed part by Id (ours): every part the
message has, each Id unique and on the element it names (no signature wrapping). The
samples' quirks are reported, not crashed on: a Signature element in the edXML namespace, a
truncated X509Certificate, RSA-SHA1.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cryptography import x509
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod

from signing.envelope import DS, EDXML, FILTER2, TRACE_XPATH, signed_parts
from signing.errors import SigningError
from signing.trust import TrustStore
from signing.verify import Problem, VerificationResult

__all__ = ["Located", "locate", "transform_problem"]

_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_C14N = {method.value for method in CanonicalizationMethod}
_EXCLUSIVE = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value
_WEAK = {
    SignatureMethod.RSA_SHA1.value,
    SignatureMethod.ECDSA_SHA1.value,
    SignatureMethod.DSA_SHA1.value,
    DigestAlgorithm.SHA1.value,
}
_STRONG = {
    SignatureMethod.RSA_SHA256.value,
    SignatureMethod.RSA_SHA384.value,
    SignatureMethod.RSA_SHA512.value,
    SignatureMethod.ECDSA_SHA256.value,
    SignatureMethod.ECDSA_SHA384.value,
    DigestAlgorithm.SHA256.value,
    DigestAlgorithm.SHA384.value,
    DigestAlgorithm.SHA512.value,
}


@dataclass(frozen=True, slots=True)
class Located:
    signature: etree._Element
    certificates: list[x509.Certificate]  # the signer's first
    algorithm_ok: bool
    algorithm_reason: str
    excludes_trace: bool


def locate(header: etree._Element, trust: TrustStore) -> Located | VerificationResult:
    """The header's signature and certificates, or why there is nothing to check."""
    signature = header.find(f"{{{DS}}}Signature")
    namespace = DS
    if signature is None:
        signature = header.find(f"{{{EDXML}}}Signature")  # seen in the national samples
        namespace = EDXML
    if signature is None:
        return VerificationResult.failed(Problem.UNSIGNED, "The envelope carries no signature.")
    algorithm_ok, algorithm_reason = _algorithms(signature, namespace)
    certificates = _certificates(signature, namespace, trust)
    if isinstance(certificates, str):
        problem = Problem.UNVERIFIABLE_CERTIFICATE
        return VerificationResult.failed(problem, certificates, algorithm_ok=algorithm_ok)
    if namespace != DS:
        reason = (
            "The Signature element is in the edXML namespace, not XML-DSig's: no tool checks it."
        )
        return VerificationResult.failed(Problem.MALFORMED, reason, algorithm_ok=algorithm_ok)
    excludes = any(t.get("Algorithm") == FILTER2 for t in signature.iter(f"{{{DS}}}Transform"))
    return Located(signature, certificates, algorithm_ok, algorithm_reason, excludes)


def _algorithms(signature: etree._Element, namespace: str) -> tuple[bool, str]:
    used = [
        element.get("Algorithm") or ""
        for name in ("SignatureMethod", "DigestMethod")
        for element in signature.iter(f"{{{namespace}}}{name}")
    ]
    weak = [a for a in used if a in _WEAK]
    unknown = [a for a in used if a not in _WEAK | _STRONG]
    if weak or unknown:
        return False, f"Weak or unknown algorithms: {', '.join(weak + unknown)} (SHA-1 is broken)."
    return True, ""


def _certificates(
    signature: etree._Element, namespace: str, trust: TrustStore
) -> list[x509.Certificate] | str:
    path = "/".join(f"{{{namespace}}}{name}" for name in ("KeyInfo", "X509Data", "X509Certificate"))
    texts = ["".join((element.text or "").split()) for element in signature.findall(path)]
    if not texts:
        return "The signature carries no X509Certificate."
    try:
        return [trust.certificate(base64.b64decode(text, validate=True)) for text in texts]
    except (binascii.Error, ValueError):
        shown = f"{texts[0][:16]}..., {len(texts[0])} characters"
        return f"The X509Certificate is truncated or unreadable ({shown})."


def transform_problem(signature: etree._Element, root: etree._Element) -> str:
    """Why the signature's references are not ones we can check ("" when they are)."""
    references = signature.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if references and all((r.get("URI") or "").startswith("#") for r in references):
        return _parts_problem(references, root)
    if len(references) != 1 or references[0].get("URI") != "":
        return 'Expected one Reference to the whole message (URI="").'
    transforms = references[0].findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
    algorithms = [t.get("Algorithm") for t in transforms]
    if algorithms[:1] != [_ENVELOPED]:
        return "The reference must start with the enveloped-signature transform."
    rest = algorithms[1:]
    if rest == [FILTER2, _EXCLUSIVE]:
        return _filter_problem(transforms[1])
    if rest == [] or (len(rest) == 1 and rest[0] in _C14N):
        return ""
    return f"Unsupported transforms: {', '.join(a or '?' for a in rest)}."


def _parts_problem(references: list[etree._Element], root: etree._Element) -> str:
    try:
        parts = signed_parts(root)
    except SigningError as error:
        return str(error)
    wanted = sorted(f"#{part_id}" for part_id in parts)
    if sorted(r.get("URI") or "" for r in references) != wanted:
        return f"The signature must reference exactly {', '.join(wanted)}."
    for part_id, element in parts.items():
        holders = root.xpath("//*[@Id=$id]", id=part_id)
        if holders != [element]:
            return f"The Id {part_id} must be on its element alone."
    for reference in references:
        algorithms = [
            t.get("Algorithm") for t in reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
        ]
        if algorithms not in ([_ENVELOPED, _EXCLUSIVE], [_EXCLUSIVE]):
            return f"Unsupported transforms on {reference.get('URI')}."
    return ""


def _filter_problem(transform: etree._Element) -> str:
    paths = transform.findall(f"{{{FILTER2}}}XPath")
    if len(paths) != 1:
        return "The XPath filter must hold exactly one expression."
    path = paths[0]
    expected = path.get("Filter") == "subtract" and (path.text or "").strip() == TRACE_XPATH
    if not expected or path.nsmap.get("edXML") != EDXML:
        return "The XPath filter may subtract edXML:TraceHeaderList and nothing else."
    return ""
