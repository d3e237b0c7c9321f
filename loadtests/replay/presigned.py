"""`eoffice loadtest --signed`: every electronic document of the replay signed before Locust
starts, so signing costs the measured run nothing. No locust.

Each document's main file is its agency's letter (rendered once per sender) signed PAdES by
the leader, then by the agency, both signatures binding the schedule's DocumentId, as a hub
under `enforce` checks; the pooled attachment of the scheduled size follows it. Signing time
is the wall clock (the seeded certificates are valid from today, not from the schedule's
2016). Bodies are files named after their DocumentId, read back by the sender at send time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loadtests.replay.bodies import edoc_body
from loadtests.roster import HostedAgency
from loadtests.schedule import ICT, Document, Event, EventKind
from loadtests.signatures.presign import agency_letter, signed_main_file
from signing import CertificateKind, Pki, render_pdf

__all__ = ["SenderBatch", "SignedBodies", "batches", "sign_batch", "sign_replay"]


class SignedBodies:
    """The folder of signed bodies, one per DocumentId."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, document_id: str) -> Path:
        return self.folder / f"{hashlib.sha256(document_id.encode()).hexdigest()[:32]}.xml"

    def body(self, document_id: str) -> bytes:
        return self.path(document_id).read_bytes()


@dataclass(frozen=True, slots=True)
class SenderBatch:
    """One sender's documents, signed by one worker process."""

    pki_dir: Path
    sender: HostedAgency
    documents: tuple[Document, ...]
    names: Mapping[str, str]
    attachment_cap: int
    folder: Path


def batches(
    events: Iterable[Event],
    names: Mapping[str, str],
    *,
    pki_dir: Path,
    attachment_cap: int,
    folder: Path,
    size: int = 200,
) -> Iterator[SenderBatch]:
    """The electronic documents the events send, grouped by sender in batches of `size`."""
    pending: dict[str, list[Document]] = {}
    for event in events:
        document = event.document
        if event.kind is not EventKind.SEND or document is None or not document.electronic:
            continue
        queue = pending.setdefault(document.sender, [])
        queue.append(document)
        if len(queue) >= size:
            yield _batch(
                document.sender,
                pending.pop(document.sender),
                names,
                pki_dir,
                attachment_cap,
                folder,
            )
    for sender, documents in pending.items():
        yield _batch(sender, documents, names, pki_dir, attachment_cap, folder)


def _batch(
    sender: str,
    documents: list[Document],
    names: Mapping[str, str],
    pki_dir: Path,
    attachment_cap: int,
    folder: Path,
) -> SenderBatch:
    agency = HostedAgency(sender, names.get(sender, sender), "")
    return SenderBatch(pki_dir, agency, tuple(documents), names, attachment_cap, folder)


def sign_batch(batch: SenderBatch) -> int:
    """Sign and write a batch's bodies; how many were written."""
    pki = Pki(batch.pki_dir)
    person = pki.signer(pki.current(batch.sender.code, CertificateKind.PERSON).id)
    organisation = pki.signer(pki.current(batch.sender.code, CertificateKind.ORGANISATION).id)
    now = datetime.now(ICT)
    letter = render_pdf(agency_letter(batch.sender, person, batch.documents[0].notation, now))
    bodies = SignedBodies(batch.folder)
    for document in batch.documents:
        main = signed_main_file(letter, person, organisation, now, document.document_id)
        body = edoc_body(document, batch.names, batch.attachment_cap, main)
        bodies.path(document.document_id).write_bytes(body)
    return len(batch.documents)


def sign_replay(work: Iterable[SenderBatch], processes: int) -> int:
    """Sign every batch on `processes` processes; how many documents were signed."""
    if processes <= 1:
        return sum(sign_batch(batch) for batch in work)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return sum(pool.map(sign_batch, work, chunksize=1))
