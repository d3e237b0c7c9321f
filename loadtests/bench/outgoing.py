"""Where a sender's next document comes from: composed on the spot (the plain mix), or the
next one of its pre-signed pool (`--presigned`). No locust: the sender asks `next()`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from loadtests.bench.documents import ATTACHMENT_POOL, VIETNAM, new_document
from loadtests.roster import HostedAgency, SystemCredential, pick_recipients
from loadtests.signatures.presign import PresignedDocument, load_manifest, sender_folder

__all__ = ["Composed", "DocumentSource", "Outgoing", "Presigned"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    document_id: str
    recipients: tuple[str, ...]  # agency codes
    body: bytes  # edXML


class DocumentSource(Protocol):
    def next(self) -> Outgoing | None:
        """The next document to send; None when there are no more."""
        ...


class Composed:
    """A new letter each time, with one attachment of the fixed pool (never runs out)."""

    def __init__(
        self,
        sender: HostedAgency,
        receivers: Sequence[SystemCredential],
        *,
        recipients: int,
        notation: str,
        rng: random.Random,
    ) -> None:
        self._sender, self._receivers, self._count = sender, receivers, recipients
        self._notation, self._rng = notation, rng
        self._numbers = itertools.count(1)

    def next(self) -> Outgoing:
        recipients = pick_recipients(self._rng, self._receivers, self._count)
        document_id, body = new_document(
            self._sender,
            recipients,
            number=next(self._numbers),
            notation=self._notation,
            on=datetime.now(VIETNAM),
            attachment=self._rng.choice(ATTACHMENT_POOL),
        )
        return Outgoing(document_id, tuple(r.code for r in recipients), body)


class Presigned:
    """The sender's pre-signed documents, each read from its file when sent, each sent once."""

    def __init__(self, root: Path, agency_code: str) -> None:
        self._folder = sender_folder(root, agency_code)
        self._documents: Iterator[PresignedDocument] = iter(load_manifest(self._folder))

    def next(self) -> Outgoing | None:
        document = next(self._documents, None)
        if document is None:
            return None
        body = (self._folder / document.file).read_bytes()
        return Outgoing(document.document_id, document.recipients, body)
