"""Status packages from templates equal what the live path stores, field by field, whatever
the names hold (XML's special characters included); a template that drifts is caught."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from exchange.db.repos.documents import NewDocument
from exchange.domain.agencies import Agency, Tier
from exchange.domain.messages import Attachment, EdocMessage, Organization
from exchange.edxml import Base64Layout, parse_edxml, splice
from exchange.protocol.compose import compose_edoc
from exchange.services.directory import Directory
from exchange.services.history.document_templates import DocumentTemplates
from exchange.services.history.messages import Composer
from exchange.services.history.records import HistoryDocument
from exchange.services.history.templates import StatusTemplates, TemplateDrift

ICT = timezone(timedelta(hours=7))
SENDER = Agency("000.00.01.H37", "Sở Văn hóa, Thể thao & Du lịch", Tier.PROVINCE, "province")
RECIPIENT = Agency("000.03.34.H37", 'UBND xã <Gia> "Sinh"', Tier.COMMUNE, "district-1")
OTHER = Agency("000.00.02.H37", "Sở Y tế", Tier.PROVINCE, "province")
CODES = ("01", "02", "03", "04", "05", "06", "13", "15", "16")


def _composer() -> Composer:
    agencies = {a.code: a for a in (SENDER, RECIPIENT, OTHER)}
    return Composer(Directory(agencies, {}), "000.00.00.VXP", lambda *_: None)


def _answered(number: int) -> EdocMessage:
    organization = Organization(SENDER.code, SENDER.name, SENDER.name)
    to = Organization(RECIPIENT.code, RECIPIENT.name, RECIPIENT.name)
    on = datetime(2017, 12, 29, 16, 59, tzinfo=ICT)
    return compose_edoc(organization, [to], number=number, notation="SVHTTDL-VP",
                        subject="V/v <thử> & kiểm tra", on=on)  # fmt: skip


@pytest.mark.parametrize("code", CODES)
def test_a_templated_package_is_the_live_paths(code: str) -> None:
    composer = _composer()
    templates = StatusTemplates(composer, check_every=1)  # every package checked
    for number, minutes in ((7, 5), (1234, 60 * 30)):
        at = datetime(2017, 12, 29, 17, 0, tzinfo=ICT) + timedelta(minutes=minutes)
        by = SENDER.code if code == "13" else RECIPIENT.code
        made = templates.document(_answered(number), by, code, at)
        live = composer.status(_answered(number), by, code, at).document
        assert replace(made, marker_key="") == replace(live, marker_key="")


def test_a_template_that_drifts_is_caught() -> None:
    composer = _composer()
    templates = StatusTemplates(composer, check_every=1)
    at = datetime(2018, 1, 2, 8, 0, tzinfo=ICT)
    templates.document(_answered(1), RECIPIENT.code, "01", at)
    made = templates._templates["01"]
    templates._templates["01"] = replace(made, skeleton=made.skeleton.replace(b"01<", b"03<"))
    with pytest.raises(TemplateDrift, match="skeleton"):
        templates.document(_answered(2), RECIPIENT.code, "01", at)


def _record(recipients: tuple[str, ...], number: int, priority: int) -> HistoryDocument:
    sent = datetime(2017, 12, 29, 16, 59, 59, tzinfo=ICT) + timedelta(hours=number % 30)
    return HistoryDocument(
        line=2, sender=SENDER.code, number=number, notation="SVHTTDL-VP",
        subject="V/v <thử> & \"kiểm tra\" 999999937", priority=priority, sent_at=sent,
        recipients=recipients, attachments=("cid:1",), statuses=(),
    )  # fmt: skip


@pytest.mark.parametrize("recipients", [(RECIPIENT.code,), (RECIPIENT.code, OTHER.code)])
def test_a_templated_document_is_the_live_paths(recipients: tuple[str, ...]) -> None:
    composer = _composer()
    templates = DocumentTemplates(composer, check_every=1)  # every document checked
    attachment = (Attachment("cid:1", "a & b.pdf", "application/pdf", b"%PDF-1.4 " * 300),)
    for number, priority in ((1, 0), (9, 3), (1234, 0)):
        record = _record(recipients, number, priority)
        made, blobs = templates.document(record, attachment)
        live = composer.prepare(composer.message(record, attachment), record.sent_at)
        assert blobs == live.attachments
        assert (
            made.document_id
            == live.document.document_id
            == (f"{SENDER.code},{record.sent_at:%Y/%m/%d},{number}/SVHTTDL-VP")
        )
        fetched = splice(made.skeleton, made.marker_key, _parts(made, blobs))
        assert parse_edxml(fetched).message.subject == record.subject


def _parts(
    made: NewDocument, blobs: tuple[tuple[str, bytes], ...]
) -> list[tuple[bytes, Base64Layout]]:
    contents = dict(blobs)
    return [(contents[sha], Base64Layout(**layout)) for sha, layout in json.loads(made.parts)]
