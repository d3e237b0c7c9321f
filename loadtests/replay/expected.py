"""The ledger a replay should leave on the hub, regenerated from its parameters. Pure.

Per electronic document: its sender, DocumentId, recipients, and per recipient the status
codes the schedule had it send (01..06, 15, 16) or receive from the sender (13). Paper
documents never reach the hub and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from loadtests.schedule import Document, Event, EventKind

__all__ = ["NEW", "ExpectedDocument", "expected_ledger"]

NEW = 0  # BusinessDocType of a new document


@dataclass(slots=True)
class ExpectedDocument:
    sender: str
    document_id: str
    recipients: tuple[str, ...]
    codes: dict[str, list[str]]  # recipient -> codes recorded on its delivery, in order
    business_type: int = NEW

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.sender, self.document_id, self.business_type)


def _new(document: Document) -> ExpectedDocument:
    codes: dict[str, list[str]] = {r: [] for r in document.recipients}
    return ExpectedDocument(document.sender, document.document_id, document.recipients, codes)


def expected_ledger(events: Iterable[Event]) -> Iterator[ExpectedDocument]:
    """Documents with their statuses; all of them at the end (a status may come days after)."""
    found: dict[str, ExpectedDocument] = {}
    for event in events:
        document = event.document
        if document is None or not document.electronic:
            continue
        if event.kind is EventKind.SEND:
            found[document.document_id] = _new(document)
        elif event.code and document.document_id in found:
            _status(found[document.document_id], event)
    yield from found.values()


def _status(entry: ExpectedDocument, event: Event) -> None:
    targets = entry.recipients if event.code == "13" else (event.agency or "",)
    for recipient in targets:
        if recipient in entry.codes and event.code is not None:
            entry.codes[recipient].append(event.code)
