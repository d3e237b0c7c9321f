"""The recipient's pages: the inbox, a received document with its signature panel and the
clerk's (or leader's) answers, the PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web import incoming
from exchange.web.answering import possible_answers
from exchange.web.books import Incoming
from exchange.web.pages import (
    actor_of,
    checked_form,
    desk,
    flash,
    redirect,
    render,
    trainee_of,
    workbench,
)
from exchange.web.plain import return_reason
from exchange.web.routes_outgoing import pdf_response
from exchange.web.trainees import Decision
from exchange.web.workbench import Actor, Role, WorkbenchError

__all__ = ["router"]

router = APIRouter()


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request) -> HTMLResponse:
    return render(request, "inbox.html", section="inbox", entries=_entries(request))


@router.get("/inbox/list", response_class=HTMLResponse)
async def inbox_list(request: Request) -> HTMLResponse:
    return render(request, "_inbox_list.html", entries=_entries(request))


def _entries(request: Request) -> list[Incoming]:
    actor = actor_of(request)
    return list(reversed(workbench(request).books.read(actor.agency.code).incoming))


@router.get("/in/{doc_id}", response_class=HTMLResponse)
async def incoming_page(request: Request, doc_id: str) -> HTMLResponse:
    actor = actor_of(request)
    wb = workbench(request)
    entry, _ = incoming.received_document(wb, actor.agency, doc_id)
    panel = incoming.signature_panel(wb, actor.agency, doc_id)
    actions, hint = _actions(actor, entry)
    return render(
        request,
        "incoming.html",
        section="inbox",
        entry=entry,
        panel=panel,
        actions=actions,
        hint=hint,
        return_reason="" if entry.lesson else panel.answer_text,  # a trainee writes their own
    )


@router.get("/in/{doc_id}/live", response_class=HTMLResponse)
async def incoming_live(request: Request, doc_id: str) -> HTMLResponse:
    """The status and the answers possible now: a recall (13) shows without a reload."""
    actor = actor_of(request)
    entry, _ = incoming.received_document(workbench(request), actor.agency, doc_id)
    actions, hint = _actions(actor, entry)
    invalid = entry.checked not in ("", "valid") and entry.lesson is None
    reason = return_reason(entry.checked) if invalid else ""
    return render(
        request,
        "_incoming_live.html",
        entry=entry,
        actions=actions,
        hint=hint,
        return_reason=reason,
    )


def _actions(actor: Actor, entry: Incoming) -> tuple[list[str], str | None]:
    """What the current role may answer now, and a hint about what the other role may."""
    possible = possible_answers(entry.status, entry.recall)
    mine = [code for code in possible if incoming.ANSWERS[code] is actor.role]
    theirs = [code for code in possible if incoming.ANSWERS[code] is not actor.role]
    if not possible:
        return [], "hint.recalled" if entry.recall == "15" else "hint.final"
    if theirs:
        return mine, "hint.leader_assigns" if actor.role is Role.CLERK else "hint.clerk_answers"
    return mine, None


@router.post("/in/{doc_id}/status")
async def answer(request: Request, doc_id: str) -> RedirectResponse:
    actor = actor_of(request)
    form = await checked_form(request)
    code, reason = str(form.get("code", "")), str(form.get("reason", ""))[:500]
    wb = workbench(request)
    try:
        await incoming.answer(wb, actor, doc_id, code, reason)
    except WorkbenchError as error:
        flash(request, "error", error.key, **error.values)
    else:
        flash(request, "ok", "flash.answered", code=code)
        _record_decision(request, actor, doc_id, code)
    return redirect(f"{desk(actor)}/in/{doc_id}")


def _record_decision(request: Request, actor: Actor, doc_id: str, code: str) -> None:
    """A trainee's decision on a lesson's document, for their progress (and the trainer's)."""
    trainee = trainee_of(request)
    wb = workbench(request)
    entry, _ = incoming.received_document(wb, actor.agency, doc_id)
    if trainee is None or entry.lesson is None or code not in ("02", "03"):
        return
    expected = incoming.signature_panel(wb, actor.agency, doc_id).answer_code
    decision = Decision(
        lesson=entry.lesson,
        agency=actor.agency.code,
        answer=code,
        right=code == expected,
        at=wb.clock(),
    )
    wb.trainees.record(trainee, decision)


@router.get("/in/{doc_id}/pdf")
async def incoming_pdf(request: Request, doc_id: str) -> Response:
    actor = actor_of(request)
    wb = workbench(request)
    entry, _ = incoming.received_document(wb, actor.agency, doc_id)
    return pdf_response(incoming.received_pdf(wb, actor.agency, doc_id), entry.code)
