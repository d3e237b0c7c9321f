"""Lessons on the protocol itself, run through the hub's real API: a captured request sent
again (what each authentication profile does with a replay), a status out of order (06 right
after 01), and a document sent by a system that does not host its sender."""

from __future__ import annotations

from datetime import timedelta, timezone

from exchange.domain.agencies import Agency
from exchange.domain.messages import EdocMessage
from exchange.edxml import build_edxml
from exchange.protocol.compose import compose_status
from exchange.web.books import LessonReport
from exchange.web.connector import HubRefusal, SystemClient
from exchange.web.incoming import received_document
from exchange.web.workbench import Workbench, WorkbenchError

__all__ = ["PROTOCOL_LESSONS", "other_system", "out_of_order", "replay"]

PROTOCOL_LESSONS = ("replay", "out_of_order", "other_system")
VIETNAM = timezone(timedelta(hours=7))


def other_system(wb: Workbench, agency: Agency) -> SystemClient:
    """A system that does not host `agency` (the sender a document claims)."""
    return next(c for s, c in wb.clients.items() if s != agency.system_id)


async def replay(wb: Workbench, recipient: Agency, doc_id: str, report: LessonReport) -> None:
    """The recipient system's getEdoc of its copy, captured on the wire, sent again as is."""
    captured = [e for e in wb.wire.about({doc_id}) if e.request.call == "getEdoc"]
    if not captured:
        raise WorkbenchError("error.not_found")
    answer = await wb.client(recipient).hub.call(captured[-1].request)
    report.detail.update(
        profile=wb.hub.settings.auth_profile,
        outcome="accepted" if answer.ok else "refused",
        code=answer.error_code if not answer.ok else "",
    )


async def out_of_order(wb: Workbench, recipient: Agency, doc_id: str, report: LessonReport) -> None:
    """The recipient's system answers 06 (finished) straight after 01, skipping 03."""
    _, message = received_document(wb, recipient, doc_id)
    assert isinstance(message, EdocMessage)
    on = wb.clock().astimezone(VIETNAM)
    status = compose_status(wb.organization(recipient), message, "06", on=on)
    try:
        await wb.client(recipient).send(build_edxml(status), recipient.code, "status")
    except HubRefusal as refused:
        report.detail.update(outcome="refused", code=refused.code)
    else:
        report.detail.update(outcome="accepted", code="")
