"""What signing costs on this machine: raw `cryptography` rates, then ours, from one run.

    python -m signing.bench [--rounds 7] [--seconds 0.25] [--seed 24]

Each figure is the median of several rounds; within a round every figure is measured once,
in turn. "Share of raw" compares, round by round, our rate with the rate of the raw
operations a call is made of, measured in that same round: verifying a
document = SHA-256 of the signed bytes + two RSA-2048 verifications + two chain
verifications (what a verifier without caches must do); signing one = SHA-256 + two RSA
signatures.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store

from signing import cms, pades, xmldsig
from signing.issued import CertificateRequest
from signing.keys import KeyAlgorithm
from signing.pdf import OfficialDocument, render_pdf
from signing.pdfsig import find_signatures
from signing.pki import Pki
from signing.trust import TrustStore

__all__ = ["main", "measure"]

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_BLOCK = 1 << 20  # bytes hashed per raw SHA-256 call


Calls = dict[str, Callable[[], object]]


def measure(calls: Calls, *, rounds: int, seconds: float) -> dict[str, list[float]]:
    """Calls per second of each call, round by round. The calls take turns within a round,
    so a machine that slows down mid-run slows raw and ours alike: ratios stay fair."""
    batches = {name: max(1, int(seconds / _once(call))) for name, call in calls.items()}
    rates: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(batches[name]):
                call()
            rates[name].append(batches[name] / (time.perf_counter() - start))
    return rates


def _once(call: Callable[[], object]) -> float:
    call()  # warm caches first
    start = time.perf_counter()
    call()
    return max(time.perf_counter() - start, 1e-6)


@dataclass(frozen=True, slots=True)
class Setup:
    pki: Pki
    pdf: bytes
    document_id: str
    detached: bytes  # CMS over `pdf`
    signed_pdf: bytes  # PAdES
    envelope: bytes  # edXML carrying `signed_pdf`, signed


def setup(directory: Path) -> Setup:
    pki = Pki.init(directory / "pki", NOW)
    pki.issue_org("000.00.20.H42", "Ủy ban nhân dân tỉnh Ninh Bình", NOW)
    pki.issue_person("000.00.20.H42", "Phạm Quang Ngọc", "Chủ tịch", NOW)
    person, organisation = pki.signer("000.00.20.H42.person.1"), pki.signer("000.00.20.H42.org.1")
    document = sample_document()
    pdf, document_id = render_pdf(document), document.document_id
    detached = cms.sign_document(pdf, person, organisation, NOW, document_id=document_id)
    signed_pdf = pades.sign_document_pdf(pdf, person, organisation, NOW, document_id=document_id)
    envelope = xmldsig.sign_envelope(sample_envelope(signed_pdf), organisation)
    return Setup(pki, pdf, document_id, detached, signed_pdf, envelope)


def sample_document() -> OfficialDocument:
    paragraph = (
        "Thực hiện Nghị định số 30/2020/NĐ-CP về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị "
        "các cơ quan, đơn vị gửi, nhận văn bản điện tử qua Trục liên thông văn bản quốc gia. "
    )
    return OfficialDocument(
        agency_code="000.00.20.H42",
        agency_name="Ủy ban nhân dân tỉnh Ninh Bình",
        number="125/UBND-VP",
        place="Ninh Bình",
        issued_on=date(2026, 3, 5),
        subject="V/v triển khai liên thông văn bản điện tử",
        body="\n\n".join([paragraph * 3] * 3),
        signer_name="Phạm Quang Ngọc",
        signer_position="Chủ tịch",
        competence="TM. ỦY BAN NHÂN DÂN",
        addressees=("Các sở, ban, ngành tỉnh",),
    )


def sample_envelope(attachment: bytes) -> bytes:
    """A minimal edXML message carrying `attachment` (no dependency on the hub's writer)."""
    encoded = base64.b64encode(attachment).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{EDXML}" xmlns:edXML="{EDXML}"><edXML:edXMLEnvelope>
<edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.20.H42</edXML:OrganId></edXML:From>
<edXML:To><edXML:OrganId>000.01.20.H42</edXML:OrganId></edXML:To>
<edXML:DocumentId>000.00.20.H42,2026/03/05,125/UBND-VP</edXML:DocumentId>
<edXML:Subject>V/v triển khai liên thông văn bản điện tử</edXML:Subject>
</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.20.H42</edXML:OrganId>
<edXML:Timestamp>2026/03/05 09:00:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
</edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope>
<edXML:AttachmentEncoded><edXML:Attachment><edXML:ContentId>1</edXML:ContentId>
<edXML:AttachmentName>125-UBND-VP.pdf</edXML:AttachmentName>
<edXML:ContentType>application/pdf</edXML:ContentType>
<edXML:ContentTransferEncoded>{encoded}</edXML:ContentTransferEncoded>
</edXML:Attachment></edXML:AttachmentEncoded></edXML>""".encode()


@dataclass(frozen=True, slots=True)
class Raw:
    sign: float
    verify: float
    chain: float
    sha256_bytes: float  # bytes per second

    def verify_document(self, size: int) -> float:
        return 1 / (size / self.sha256_bytes + 2 / self.verify + 2 / self.chain)

    def sign_document(self, size: int) -> float:
        return 1 / (size / self.sha256_bytes + 2 / self.sign)


def raw_calls(pki: Pki) -> Calls:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    message = hashlib.sha256(b"document").digest()
    signature = key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    public = key.public_key()
    leaf = pki.certificate("000.00.20.H42.org.1")
    policies = {
        "ca_policy": ExtensionPolicy.webpki_defaults_ca(),
        "ee_policy": ExtensionPolicy.permit_all(),
    }
    builder = PolicyBuilder().store(Store([pki.root])).time(NOW)
    verifier = builder.extension_policies(**policies).build_client_verifier()
    block = bytes(_BLOCK)
    return {
        "sign": lambda: key.sign(message, padding.PKCS1v15(), hashes.SHA256()),
        "verify": lambda: public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256()),
        "chain": lambda: verifier.verify(leaf, [pki.intermediate]),
        "sha256": lambda: hashlib.sha256(block).digest(),
    }


def _raw(rates: dict[str, list[float]], index: int) -> Raw:
    return Raw(
        sign=rates["sign"][index],
        verify=rates["verify"][index],
        chain=rates["chain"][index],
        sha256_bytes=rates["sha256"][index] * _BLOCK,
    )


def our_calls(ready: Setup) -> Calls:
    crls = ready.pki.crls(NOW)
    trust = TrustStore([ready.pki.root], [ready.pki.intermediate], crls)
    person = ready.pki.signer("000.00.20.H42.person.1")
    organisation = ready.pki.signer("000.00.20.H42.org.1")
    later, doc_id = NOW + timedelta(hours=1), ready.document_id
    return {
        "sign document, CMS (person + org)": lambda: cms.sign_document(
            ready.pdf, person, organisation, NOW, document_id=doc_id
        ),
        "sign document, PAdES (person + org)": lambda: pades.sign_document_pdf(
            ready.pdf, person, organisation, NOW, document_id=doc_id
        ),
        "verify document, CMS": lambda: cms.verify_document(
            ready.pdf, ready.detached, trust, later, document_id=doc_id
        ),
        "verify document, PAdES": lambda: pades.verify_pdf(
            ready.signed_pdf, trust, later, document_id=doc_id
        ),
        "verify document, CMS, cold caches": lambda: cms.verify_document(
            ready.pdf, ready.detached, _cold(ready.pki, crls), later, document_id=doc_id
        ),
        "sign envelope": lambda: xmldsig.sign_envelope(
            sample_envelope(ready.signed_pdf), organisation
        ),
        "verify envelope": lambda: xmldsig.verify_envelope(ready.envelope, trust, later),
    }


def _cold(pki: Pki, crls: Sequence[x509.CertificateRevocationList]) -> TrustStore:
    return TrustStore([pki.root], [pki.intermediate], crls)


def seeding(directory: Path, count: int) -> dict[KeyAlgorithm, float]:
    """Seconds per certificate (key generation, issuance, files) for each key algorithm."""
    found = {}
    for algorithm in KeyAlgorithm:
        pki = Pki.init(directory / algorithm.value, NOW, algorithm=algorithm)
        requests = [CertificateRequest(f"000.{i:02d}.20.H42", f"Cơ quan {i}") for i in range(count)]
        start = time.perf_counter()
        pki.issue_many(requests, NOW)
        found[algorithm] = (time.perf_counter() - start) / count
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.25, help="time per figure per round")
    parser.add_argument("--seed", type=int, default=24, help="certificates issued per algorithm")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        ready = setup(Path(directory))
        raw, ours = raw_calls(ready.pki), our_calls(ready)
        rates = measure({**raw, **ours}, rounds=options.rounds, seconds=options.seconds)
        per_certificate = seeding(Path(directory), options.seed)
    _report(rates, list(ours), ready, per_certificate)


def _report(
    rates: dict[str, list[float]],
    ours: list[str],
    ready: Setup,
    seeding: dict[KeyAlgorithm, float],
) -> None:
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"raw cryptography, one core (median of {len(rates['sign'])} rounds)")
    print(f"  RSA-2048 sign (PKCS#1 v1.5, SHA-256)   {median['sign']:10,.0f} /s")
    print(f"  RSA-2048 verify                        {median['verify']:10,.0f} /s")
    print(f"  chain verification (3 certificates)    {median['chain']:10,.0f} /s")
    print(f"  SHA-256                                {median['sha256'] * _BLOCK / 1e9:10.2f} GB/s")
    print(
        f"ours (PDF {len(ready.pdf):,} B, signed PDF {len(ready.signed_pdf):,} B, "
        f"envelope {len(ready.envelope):,} B)"
    )
    for name in ours:
        print(f"  {name:38s} {median[name]:10,.0f} /s{_share(name, rates, ready)}")
    for algorithm, seconds in seeding.items():
        print(
            f"PKI issuing, {algorithm.value}: {seconds * 1000:.1f} ms per certificate; "
            f"Ninh Bình (174 agencies + 174 leaders) ~{174 * 2 * seconds:.1f} s"
        )


def _share(name: str, rates: dict[str, list[float]], ready: Setup) -> str:
    """Median over rounds of our rate / the rate of the raw operations in the same round
    (bytes hashed: the document, or both byte ranges of the signed PDF)."""
    if name.startswith("verify document"):
        reference = Raw.verify_document
    elif name.startswith("sign document"):
        reference = Raw.sign_document
    else:
        return ""
    ranges = find_signatures(ready.signed_pdf)
    size = (
        sum(r.byte_range[1] + r.byte_range[3] for r in ranges)
        if "PAdES" in name
        else len(ready.pdf)
    )
    raws = [reference(_raw(rates, i), size) for i in range(len(rates[name]))]
    share = statistics.median(ours / raw for ours, raw in zip(rates[name], raws, strict=True))
    return f"  {share:6.0%} of raw ({statistics.median(raws):,.0f} /s)"


if __name__ == "__main__":
    main()
