"""The presenter view, for the projector: the hub's live panel beside a chosen document's
timeline at every recipient. It plays no agency: whoever acts in other tabs, it follows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from exchange.web.books import Outgoing
from exchange.web.hubpanel import hub_figures
from exchange.web.pages import render, require_login, workbench
from exchange.web.timeline import grouped, summary, timeline
from exchange.web.workbench import Workbench

__all__ = ["router"]

router = APIRouter()
_LISTED = 30  # the most recent sent documents offered


@router.get("/present", response_class=HTMLResponse)
async def present(request: Request) -> HTMLResponse:
    require_login(request)
    wb = workbench(request)
    choice = request.query_params.get("doc", "")
    sent = _recent(wb)
    chosen = _chosen(wb, choice) or (sent[0][1] if sent and not choice else None)
    context = await _timeline_context(wb, chosen)
    return render(
        request,
        "present.html",
        section="present",
        figures=await hub_figures(wb),
        documents=sent,
        chosen=chosen,
        choice=f"{_sender(chosen)}:{chosen.id}" if chosen else "",
        **context,
    )


@router.get("/present/timeline", response_class=HTMLResponse)
async def present_timeline(request: Request) -> HTMLResponse:
    require_login(request)
    wb = workbench(request)
    context = await _timeline_context(wb, _chosen(wb, request.query_params.get("doc", "")))
    return render(request, "_timeline.html", **context)


async def _timeline_context(wb: Workbench, draft: Outgoing | None) -> dict[str, Any]:
    rows = (await timeline(wb, draft))[0] if draft else []
    return {"timeline": rows, "summary": summary(rows), "groups": grouped(rows)}


def _recent(wb: Workbench) -> list[tuple[str, Outgoing]]:
    """(sender's name, document), the most recently sent first."""
    found = [
        (wb.agency(code).name, draft)
        for code in wb.books.agencies()
        if wb.directory.get(code) is not None
        for draft in wb.books.read(code).outgoing
        if draft.stage == "sent" and draft.sent_at is not None
    ]
    found.sort(key=lambda item: item[1].sent_at or item[1].created_at, reverse=True)
    return found[:_LISTED]


def _chosen(wb: Workbench, choice: str) -> Outgoing | None:
    code, _, number = choice.partition(":")
    if not number.isdigit() or wb.directory.get(code) is None:
        return None
    draft = wb.books.read(code).draft(int(number))
    return draft if draft is not None and draft.stage == "sent" else None


def _sender(draft: Outgoing | None) -> str:
    return draft.document_id.split(",", 1)[0] if draft else ""
