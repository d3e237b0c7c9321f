"""History documents from templates, as status packages are (`templates`): one document per
shape (recipient count, attachments, priority) made by the live path with placeholder
values, then each document is that skeleton with its values put in (XML-escaped) and a
marker key of its own. The first document of each shape, and every `check_every`-th, is also
made by the live path and must come out the same, field by field."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

from exchange.db.repos.documents import NewDocument
from exchange.domain.agencies import Agency, Tier
from exchange.domain.messages import Attachment, EdocMessage
from exchange.services.directory import Directory
from exchange.services.history.messages import Composer
from exchange.services.history.records import HistoryDocument
from exchange.services.history.templates import TemplateDrift

__all__ = ["DocumentTemplates"]

VIETNAM = timezone(timedelta(hours=7), "ICT")
_AT = datetime(1999, 12, 31, 23, 59, 58, tzinfo=VIETNAM)
_STAMP, _DATE = b"1999/12/31 23:59:58", b"1999/12/31"
_NUMBER = 999_999_937  # a placeholder number no schedule reaches
_SYSTEM = "QQSYSQQ"
Shape = tuple[int, tuple[str, ...], int]  # recipients, attachment ids, priority
Made = tuple[NewDocument, tuple[tuple[str, bytes], ...]]


def _sender() -> Agency:
    return Agency("QQSORGQQ", "QQSNAMEQQ", Tier.PROVINCE, _SYSTEM)


def _recipient(index: int) -> Agency:
    return Agency(f"QQTO{index}QQ", f"QQTONAME{index}QQ", Tier.PROVINCE, _SYSTEM)


class DocumentTemplates:
    def __init__(self, composer: Composer, check_every: int = 1000) -> None:
        self.composer, self.check_every = composer, check_every
        self._templates: dict[Shape, Made] = {}
        self._checked: set[Shape] = set()
        self._count = itertools.count(1)
        self._made = itertools.count(1)
        self._key = secrets.token_hex(10)

    def document(
        self, record: HistoryDocument, attachments: tuple[Attachment, ...]
    ) -> tuple[NewDocument, tuple[tuple[str, bytes], ...]]:
        """What the live path would store for the document: its row's fields and its blobs."""
        shape = (len(record.recipients), tuple(a.content_id for a in attachments), record.priority)
        template, blobs = self._template(shape, record, attachments)
        made = self._fill(template, record)
        if shape not in self._checked or next(self._made) % self.check_every == 0:
            self._check(made, record, attachments)
            self._checked.add(shape)
        return made, blobs

    def answered(self, record: HistoryDocument) -> EdocMessage:
        """The document as a status package names it (no attachments: nothing to build)."""
        return self.composer.message(record, ())

    def _template(
        self, shape: Shape, record: HistoryDocument, attachments: tuple[Attachment, ...]
    ) -> Made:
        if shape not in self._templates:
            agencies = [_sender(), *(_recipient(i) for i in range(shape[0]))]
            directory = Directory({a.code: a for a in agencies}, {})
            composer = Composer(directory, self.composer.hub_organ_id, self.composer.verify)
            placeholder = replace(
                record,
                sender=agencies[0].code,
                recipients=tuple(a.code for a in agencies[1:]),
                number=_NUMBER,
                notation="QQNOTQQ",
                subject="QQSUBJQQ",
                sent_at=_AT,
            )
            message = composer.message(placeholder, attachments)
            prepared = composer.prepare(replace(message, document_id="QQDOCIDQQ"), _AT)
            self._templates[shape] = (prepared.document, prepared.attachments)
        return self._templates[shape]

    def _fill(self, template: NewDocument, record: HistoryDocument) -> NewDocument:
        agencies = self.composer.directory.agencies
        sender = agencies[record.sender]
        at = record.sent_at.astimezone(VIETNAM)
        document_id = f"{record.sender},{at:%Y/%m/%d},{record.number}/{record.notation}"
        marker = f"{self._key}{next(self._count):012x}"
        values = {
            b"QQSORGQQ": record.sender,
            b"QQSNAMEQQ": sender.name,
            b"QQDOCIDQQ": document_id,
            str(_NUMBER).encode(): str(record.number),
            b"QQNOTQQ": record.notation,
            b"QQSUBJQQ": record.subject,
            _STAMP: f"{at:%Y/%m/%d %H:%M:%S}",
            _DATE: f"{at:%Y/%m/%d}",
            template.marker_key.encode(): marker,
        }
        for index, code in enumerate(record.recipients):
            values[f"QQTO{index}QQ".encode()] = code
            values[f"QQTONAME{index}QQ".encode()] = agencies[code].name
        skeleton = template.skeleton
        for placeholder, value in values.items():
            skeleton = skeleton.replace(placeholder, escape(value).encode())
        return replace(
            template,
            dedup_key=_dedup_key(record.sender, document_id),
            sender_code=record.sender,
            sender_system=sender.system_id,
            document_id=document_id,
            skeleton=skeleton,
            marker_key=marker,
            size=template.size - len(template.skeleton) + len(skeleton),
            created_at=at.astimezone(UTC),
            title=record.subject[:500],
            notation=f"{record.number}/{record.notation}"[:100],
        )

    def _check(
        self, made: NewDocument, record: HistoryDocument, attachments: tuple[Attachment, ...]
    ) -> None:
        live = self.composer.prepare(self.composer.message(record, attachments), record.sent_at)
        same_key = live.document.skeleton.replace(
            live.document.marker_key.encode(), made.marker_key.encode()
        )
        for field in fields(NewDocument):
            name = field.name
            theirs = same_key if name == "skeleton" else getattr(live.document, name)
            if name != "marker_key" and getattr(made, name) != theirs:
                raise TemplateDrift(f"a document's template differs from the live path in {name}")


def _dedup_key(sender: str, document_id: str) -> str:
    """As `exchange.services.preparing` keys a new document (checked against it above)."""
    return hashlib.sha256("\x1f".join(["edoc", sender, document_id, "0"]).encode()).hexdigest()
