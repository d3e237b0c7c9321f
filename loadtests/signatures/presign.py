"""A pool of signed documents, made before Locust starts, so signing (~8-20 ms a document)
costs the measured run nothing. No locust here.

Each sender gets a folder named after its agency code: one edXML file per document (sent once,
in order) and `manifest.json` listing each file's DocumentId and recipients. The main file is
the agency's official letter as a PDF, signed PAdES by its leader (person certificate) then by
the agency (organisation certificate), each signature binding the document's DocumentId, as
the hub checks under `enforce`. The letter is rendered once per sender (rendering costs ~0.1 s)
and signed afresh for every document, so every copy carries signatures of its own.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.x509.oid import NameOID

from exchange.domain.messages import Attachment
from exchange.edxml.writer import build_edxml
from exchange.protocol.compose import compose_edoc, document_id
from loadtests.bench.documents import SUBJECT, organization
from loadtests.roster import HostedAgency, Roster, pick_recipients
from signing import CertificateKind, OfficialDocument, Pki, Signer, pades, render_pdf

__all__ = [
    "MANIFEST",
    "PresignedDocument",
    "SenderJob",
    "agency_letter",
    "load_manifest",
    "plan",
    "sender_folder",
    "sign_pool",
    "sign_sender",
    "signed_main_file",
]

MANIFEST = "manifest.json"
MAIN_FILE = "congvan.pdf"
BODY = (
    "Thực hiện Nghị định số 30/2020/NĐ-CP về công tác văn thư, đề nghị các cơ quan, đơn vị "
    "triển khai gửi, nhận văn bản điện tử có ký số qua Trục liên thông văn bản quốc gia."
)


@dataclass(frozen=True, slots=True)
class PresignedDocument:
    document_id: str
    recipients: tuple[str, ...]  # agency codes
    file: str  # in the sender's folder


@dataclass(frozen=True, slots=True)
class SenderJob:
    """What one worker signs: one sender's documents, numbered 1, 2, ..."""

    pki_dir: Path
    sender: HostedAgency
    recipients: tuple[tuple[HostedAgency, ...], ...]  # per document
    notation: str
    on: datetime
    folder: Path


def sender_folder(root: Path, agency_code: str) -> Path:
    return root / agency_code


def plan(
    roster: Roster,
    pki_dir: Path,
    root: Path,
    *,
    per_sender: int,
    recipients: int,
    notation: str,
    on: datetime,
    rng: random.Random,
) -> list[SenderJob]:
    """One job per sender, its recipients drawn as the mix draws them."""
    return [
        SenderJob(
            pki_dir=pki_dir,
            sender=sender.agency,
            recipients=tuple(
                tuple(pick_recipients(rng, roster.receivers, recipients)) for _ in range(per_sender)
            ),
            notation=notation,
            on=on,
            folder=sender_folder(root, sender.agency.code),
        )
        for sender in roster.senders
    ]


def sign_pool(jobs: Sequence[SenderJob], processes: int) -> int:
    """Sign every job's documents, on `processes` processes; how many documents were written."""
    if processes <= 1:
        return sum(sign_sender(job) for job in jobs)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return sum(pool.map(sign_sender, jobs))


def sign_sender(job: SenderJob) -> int:
    pki = Pki(job.pki_dir)
    person = pki.signer(pki.current(job.sender.code, CertificateKind.PERSON).id)
    organisation = pki.signer(pki.current(job.sender.code, CertificateKind.ORGANISATION).id)
    letter = render_pdf(
        agency_letter(job.sender, person, f"{len(job.recipients)}/{job.notation}", job.on)
    )
    job.folder.mkdir(parents=True, exist_ok=True)
    listed = []
    for number, recipients in enumerate(job.recipients, start=1):
        bound = document_id(job.sender.code, job.on, number, job.notation)  # as compose writes
        signed = signed_main_file(letter, person, organisation, job.on, bound)
        message = compose_edoc(
            organization(job.sender),
            [organization(r) for r in recipients],
            number=number,
            notation=job.notation,
            subject=SUBJECT,
            on=job.on,
            attachments=[signed],
        )
        file = f"{number:06d}.xml"
        (job.folder / file).write_bytes(build_edxml(message))
        codes = tuple(r.code for r in recipients)
        listed.append(PresignedDocument(message.document_id, codes, file))
    _write_manifest(job.folder, listed)
    return len(listed)


def signed_main_file(
    letter: bytes, person: Signer, organisation: Signer, on: datetime, bound: str
) -> Attachment:
    """The letter signed PAdES by the leader, then the agency, both binding DocumentId `bound`."""
    signed = pades.sign_document_pdf(letter, person, organisation, on, document_id=bound)
    return Attachment("cid:1", MAIN_FILE, "application/pdf", signed)


def agency_letter(
    sender: HostedAgency, person: Signer, number: str, on: datetime
) -> OfficialDocument:
    """The agency's official letter, signed off by the leader whose certificate `person` holds."""
    titles = person.certificate.subject.get_attributes_for_oid(NameOID.TITLE)
    return OfficialDocument(
        agency_code=sender.code,
        agency_name=sender.name,
        number=number,
        place="Ninh Bình",
        issued_on=on.date(),
        subject=SUBJECT,
        body=BODY,
        signer_name=person.identity.signer or sender.name,
        signer_position=str(titles[0].value) if titles else "Thủ trưởng cơ quan",
    )


def _write_manifest(folder: Path, documents: Sequence[PresignedDocument]) -> None:
    entries = [
        {"documentId": d.document_id, "recipients": list(d.recipients), "file": d.file}
        for d in documents
    ]
    text = json.dumps({"documents": entries}, ensure_ascii=False, indent=0)
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def load_manifest(folder: Path) -> tuple[PresignedDocument, ...]:
    entries = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["documents"]
    return tuple(
        PresignedDocument(e["documentId"], tuple(e["recipients"]), e["file"]) for e in entries
    )
