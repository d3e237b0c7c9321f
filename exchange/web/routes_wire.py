"""The wire view: for one document of this desk, every request and answer that carried it
(the sender's sendEdoc, each recipient system's getEdoc and updateStatus, the status packages
that answered it), as the played systems sent them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from exchange.web import incoming, outgoing
from exchange.web.pages import actor_of, render, workbench
from exchange.web.wire import shown_edxml

__all__ = ["router"]

router = APIRouter()


@router.get("/out/{draft_id:int}/wire", response_class=HTMLResponse)
async def sent_wire(request: Request, draft_id: int) -> HTMLResponse:
    actor = actor_of(request)
    wb = workbench(request)
    draft = outgoing.own_draft(wb, actor.agency, draft_id)
    ids = {draft.document_id, draft.hub_doc_id or ""}
    if draft.hub_doc_id:
        report = await wb.client(actor.agency).sent(draft.hub_doc_id)
        ids |= {str(row.get("receiverDocId", "")) for row in report.rows}
    return _page(request, draft.code, draft.subject, ids, f"out/{draft.id}")


@router.get("/in/{doc_id}/wire", response_class=HTMLResponse)
async def received_wire(request: Request, doc_id: str) -> HTMLResponse:
    actor = actor_of(request)
    entry, _ = incoming.received_document(workbench(request), actor.agency, doc_id)
    return _page(request, entry.code, entry.subject, {doc_id, entry.document_id}, f"in/{doc_id}")


def _page(request: Request, code: str, subject: str, ids: set[str], back: str) -> HTMLResponse:
    wb = workbench(request)
    exchanges = wb.wire.about(ids)
    return render(
        request,
        "wire.html",
        section="outbox" if back.startswith("out") else "inbox",
        code=code,
        subject=subject,
        exchanges=exchanges,
        back=back,
        shown_edxml=shown_edxml,
        systems={c.system_id: c for c in wb.clients.values()},
    )
