"""One history document -> the rows the live exchange would have left: the document, a
delivery per recipient, a status package per status (with its deliveries and the event on
the recipient's delivery), the audit entries, everything acknowledged `done`.

A recipient's copy is acknowledged when it first answered (its system fetched it then), or
when sent if it never answered; a status package when it was sent. Moves are checked with
the hub's own state machine, so a history the live hub would have refused is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from exchange.db.bulk import BulkRows
from exchange.db.repos.documents import NewDocument
from exchange.domain.audit import AuditEntry
from exchange.domain.docids import receiver_doc_id
from exchange.domain.errors import ExchangeError, TransitionNotAllowed
from exchange.domain.messages import Attachment
from exchange.domain.status import (
    RECALL_ANSWERS,
    RecallState,
    StatusCode,
    answer_recall,
    transition,
)
from exchange.services.history.document_templates import DocumentTemplates
from exchange.services.history.messages import Composer
from exchange.services.history.records import (
    HistoryAttachment,
    HistoryDocument,
    HistoryInvalid,
    HistoryStatus,
)
from exchange.services.history.templates import StatusTemplates

__all__ = ["HistoryRows"]

Row = dict[str, Any]


@dataclass(slots=True)
class _Copy:
    """A recipient's delivery of the document, as the statuses so far leave it."""

    row: Row
    business: StatusCode | None = None
    recall: RecallState | None = None


class HistoryRows:
    def __init__(
        self, composer: Composer, until: datetime, first_doc: int, first_delivery: int
    ) -> None:
        self.composer, self.until = composer, until
        self.templates = StatusTemplates(composer)
        self.documents = DocumentTemplates(composer)
        self.next_doc, self.next_delivery = first_doc, first_delivery
        self.attachments: dict[str, Attachment] = {}
        self.statuses = 0

    def attachment(self, record: HistoryAttachment) -> None:
        self.attachments[record.id] = Attachment(record.id, record.name, record.mime, record.data)

    def document(self, record: HistoryDocument, out: BulkRows) -> None:
        """Append the document's rows to `out`; `HistoryInvalid` names what is wrong."""
        self._check(record)
        try:
            _Document(self, record, out).build()
        except ExchangeError as error:
            if isinstance(error, HistoryInvalid):
                raise
            raise HistoryInvalid(f"history_{error.code}", record.line, error.message) from None

    def _check(self, record: HistoryDocument) -> None:
        agencies = self.composer.directory.agencies
        unknown = [c for c in (record.sender, *record.recipients) if c not in agencies]
        if unknown:
            message = f"agency {unknown[0]} is not in the hub's directory (seed it first)"
            raise HistoryInvalid("history_agency_unknown", record.line, message)
        missing = [a for a in record.attachments if a not in self.attachments]
        if missing:
            message = f"attachment {missing[0]!r} is not declared before the document"
            raise HistoryInvalid("history_attachment_unknown", record.line, message)
        times = [record.sent_at, *(s.at for s in record.statuses)]
        if max(times) >= self.until or any(s.at < record.sent_at for s in record.statuses):
            message = f"times must lie between the document's sending and {self.until.isoformat()}"
            raise HistoryInvalid("history_time_invalid", record.line, message)

    def take_doc(self) -> int:
        self.next_doc += 1
        return self.next_doc - 1

    def take_delivery(self) -> int:
        self.next_delivery += 1
        return self.next_delivery - 1


class _Document:
    """The rows of one document, built in the order the live exchange made them."""

    def __init__(self, rows: HistoryRows, record: HistoryDocument, out: BulkRows) -> None:
        self.rows, self.record, self.out = rows, record, out
        self.agencies = rows.composer.directory.agencies
        self.audit: list[AuditEntry] = []

    def build(self) -> None:
        record = self.record
        attachments = tuple(self.rows.attachments[a] for a in record.attachments)
        document, blobs = self.rows.documents.document(record, attachments)
        self.message = self.rows.documents.answered(record)
        self.doc_id = self._store(document, None)
        self.out.blobs.update(blobs)
        self.copies = {
            code: _Copy(self._delivery(self.doc_id, "edoc", code, record.sent_at, None))
            for code in record.recipients
        }
        self._audit("document_accepted", record.sender, record.sent_at, str(self.doc_id),
                    sender=record.sender, document_id=document.document_id,
                    business_type=0, recipients=list(record.recipients))  # fmt: skip
        for status in record.statuses:
            self._status(status)
        for copy in self.copies.values():
            at = copy.row["acked_at"] or _utc(record.sent_at)
            copy.row["acked_at"] = at
            self._acknowledged(copy.row, at)
        self.out.audit.extend(sorted(self.audit, key=lambda entry: entry.at))  # stable sort

    def _status(self, status: HistoryStatus) -> None:
        try:
            code = StatusCode(status.code)
        except ValueError:
            raise HistoryInvalid("history_status_invalid", self.record.line,
                                 f"unknown status code {status.code!r}") from None  # fmt: skip
        targets = self._targets(status, code)
        made = self.rows.templates.document(self.message, status.by, code.value, status.at)
        package = self._store(made, self.doc_id)
        at = _utc(status.at)
        for copy in targets:
            self._move(copy, code, at)
            self.out.events.append({"delivery": copy.row["id"], "code": code.value,
                                    "status_doc": package, "at": at})  # fmt: skip
        self._audit("status_accepted", status.by, status.at, str(package),
                    responder=status.by, answers=self.doc_id, status=code.value)  # fmt: skip
        to = (
            [c.row["recipient_code"] for c in targets]
            if code is StatusCode.RECALL_REQUESTED
            else [self.record.sender]
        )
        for recipient in to:
            self._acknowledged(self._delivery(package, "status", recipient, status.at, at), at)
        self.rows.statuses += 1

    def _targets(self, status: HistoryStatus, code: StatusCode) -> list[_Copy]:
        if code is StatusCode.RECALL_REQUESTED:
            if status.by != self.record.sender:
                raise TransitionNotAllowed("Only the document's sender can ask for a recall (13).")
            return list(self.copies.values())
        copy = self.copies.get(status.by)
        if copy is None:
            raise HistoryInvalid("history_status_invalid", self.record.line,
                                 f"{status.by} answers a document it did not receive")  # fmt: skip
        if copy.row["acked_at"] is None:
            copy.row["acked_at"] = _utc(status.at)
        return [copy]

    def _move(self, copy: _Copy, code: StatusCode, at: datetime) -> None:
        if code is StatusCode.RECALL_REQUESTED:
            copy.recall = RecallState.REQUESTED
        elif code in RECALL_ANSWERS:
            copy.recall = answer_recall(copy.recall, copy.business, code)
        else:
            if copy.recall is RecallState.AGREED:
                raise TransitionNotAllowed(f"Status {code.value} cannot follow 15.")
            copy.business = transition(copy.business, code)
            copy.row["business_status"], copy.row["business_status_at"] = code.value, at
        copy.row["recall_state"] = copy.recall.value if copy.recall else None

    def _store(self, document: NewDocument, answers: int | None) -> int:
        doc_id = self.rows.take_doc()
        row = {name: getattr(document, name) for name in NewDocument.__slots__}
        row["answers_doc"] = answers
        self.out.documents.append({"id": doc_id, **row})
        return doc_id

    def _delivery(
        self, doc: int, kind: str, code: str, sent: datetime, acked: datetime | None
    ) -> Row:
        row = {
            "id": self.rows.take_delivery(), "doc": doc, "kind": kind, "recipient_code": code,
            "recipient_system": self.agencies[code].system_id, "state": "done", "open_for": None,
            "fail_count": 0, "acked_at": acked, "business_status": None,
            "business_status_at": None, "recall_state": None, "created_at": _utc(sent),
        }  # fmt: skip
        self.out.deliveries.append(row)
        return row

    def _acknowledged(self, delivery: Row, at: datetime) -> None:
        system = delivery["recipient_system"]
        entry = AuditEntry("delivery_acknowledged", at, system,
                           receiver_doc_id(delivery["id"]), {"status": "done"})  # fmt: skip
        self.audit.append(entry)

    def _audit(self, event: str, agency: str, at: datetime, subject: str, **detail: object) -> None:
        system = self.agencies[agency].system_id
        self.audit.append(AuditEntry(event, _utc(at), system, subject, dict(detail)))


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)
