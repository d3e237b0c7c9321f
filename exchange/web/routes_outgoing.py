"""The sender's pages: compose, a document's stages and actions, its live timeline, the
outbox, the PDF."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web import outgoing
from exchange.web.books import Note, Outgoing
from exchange.web.drafting import TEMPLATES
from exchange.web.pages import actor_of, checked_form, desk, flash, redirect, render, workbench
from exchange.web.plain import hub_refusal_key
from exchange.web.timeline import RecipientTimeline, grouped, progress, summary, timeline
from exchange.web.workbench import Actor, Role, Workbench, WorkbenchError

__all__ = ["pdf_response", "router"]

router = APIRouter()
STAGES = ("drafted", "person_signed", "signed", "sent")
NEXT_ACTION = {  # stage: (action, the role that takes it)
    "drafted": ("sign-person", Role.LEADER),
    "person_signed": ("sign-organisation", Role.CLERK),
    "signed": ("send", Role.CLERK),
}


@dataclass(frozen=True, slots=True)
class Stage:
    key: str
    done: bool
    current: bool
    at: datetime | None


@router.get("/out/{draft_id:int}", response_class=HTMLResponse)
async def outgoing_page(request: Request, draft_id: int) -> HTMLResponse:
    actor = actor_of(request)
    wb = workbench(request)
    draft = outgoing.own_draft(wb, actor.agency, draft_id)
    rows, hub_check = await _timeline(request, draft)
    action, hint = _next_action(actor, draft)
    names = ", ".join(wb.agency(c).name for c in draft.recipients[:5])
    if len(draft.recipients) > 5:
        names += f" (+{len(draft.recipients) - 5})"
    return render(
        request,
        "outgoing.html",
        section="outbox",
        draft=draft,
        kind=TEMPLATES[draft.template],
        stages=_stages(draft),
        actions=[action] if action else [],
        hint=hint,
        recipient_names=names,
        timeline=rows,
        summary=summary(rows),
        groups=grouped(rows),
        hub_check=hub_check,
        policy=wb.hub.settings.signature_policy,
        confirming=request.query_params.get("confirm") == "recall",
        refusal_key=hub_refusal_key(draft.refusal.code) if draft.refusal else "",
        decided=_decided(draft),
        lesson_recipient=_lesson_recipient(wb, draft),
    )


def _decided(draft: Outgoing) -> Note | None:
    """A lesson's answer by the trainee at the recipient: 02 or 03, once given."""
    if draft.lesson is None:
        return None
    answers = [n for n in draft.notes if n.responder == draft.lesson.recipient]
    return next((n for n in reversed(answers) if n.code in ("02", "03")), None)


def _lesson_recipient(wb: Workbench, draft: Outgoing) -> str:
    code = draft.lesson.recipient if draft.lesson else ""
    agency = wb.directory.get(code) if code else None
    return agency.name if agency else code


async def _timeline(
    request: Request, draft: Outgoing
) -> tuple[list[RecipientTimeline], str | None]:
    if draft.stage != "sent":
        return [], None
    rows, verification = await timeline(workbench(request), draft)
    problem = verification.get("problem") if verification else None
    return rows, str(problem) if problem else None


def _next_action(actor: Actor, draft: Outgoing) -> tuple[str | None, str | None]:
    if draft.stage == "sent" and draft.recall_requested_at is None:
        return ("recall", None) if actor.role is Role.CLERK else (None, "hint.recall_clerk")
    step = NEXT_ACTION.get(draft.stage)
    if step is None:
        return None, None
    action, role = step
    if actor.role is role:
        return action, None
    return None, f"hint.{action}"


def _stages(draft: Outgoing) -> list[Stage]:
    """The four steps; a refused document ends at "refused" instead of "sent"."""
    moments = {
        "drafted": draft.created_at,
        "person_signed": draft.person_signed_at,
        "signed": draft.signed_at,
        "sent": draft.sent_at,
    }
    keys = [*STAGES[:-1], "refused" if draft.stage == "refused" else "sent"]
    moments["refused"] = draft.sent_at
    if draft.stage == "cancelled":
        keys, moments["cancelled"] = ["drafted", "cancelled"], None
    reached = keys.index(draft.stage)
    return [Stage(key, i <= reached, i == reached, moments[key]) for i, key in enumerate(keys)]


@router.get("/out/{draft_id:int}/timeline", response_class=HTMLResponse)
async def timeline_fragment(request: Request, draft_id: int) -> HTMLResponse:
    actor = actor_of(request)
    draft = outgoing.own_draft(workbench(request), actor.agency, draft_id)
    rows, _ = await _timeline(request, draft)
    return render(
        request, "_timeline.html", timeline=rows, summary=summary(rows), groups=grouped(rows)
    )


@router.get("/out/{draft_id:int}/pdf")
async def outgoing_pdf(request: Request, draft_id: int) -> Response:
    actor = actor_of(request)
    wb = workbench(request)
    draft = outgoing.own_draft(wb, actor.agency, draft_id)
    return pdf_response(wb.books.read_file(actor.agency.code, f"out-{draft.id}.pdf"), draft.code)


def pdf_response(data: bytes, code: str) -> Response:
    name = "".join(c if c.isascii() and c.isalnum() else "_" for c in code) + ".pdf"
    headers = {
        "Content-Disposition": f'inline; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(data, media_type="application/pdf", headers=headers)


Action = Callable[[Workbench, Actor, int], Awaitable[object]]
ACTIONS: dict[str, tuple[Action, str]] = {
    "sign-person": (outgoing.sign_person, "flash.person_signed"),
    "sign-organisation": (outgoing.sign_organisation, "flash.signed"),
    "send": (outgoing.send, "flash.sent"),
    "recall": (outgoing.recall, "flash.recall"),
}


@router.post("/out/{draft_id:int}/{action}")
async def outgoing_action(request: Request, draft_id: int, action: str) -> RedirectResponse:
    actor = actor_of(request)
    await checked_form(request)
    step = ACTIONS.get(action)
    if step is None:
        flash(request, "error", "error.not_found")
        return redirect(f"{desk(actor)}/out/{draft_id}")
    run, done = step
    try:
        result = await run(workbench(request), actor, draft_id)
    except WorkbenchError as error:
        flash(request, "error", error.key, **error.values)
    else:
        refused = isinstance(result, Outgoing) and result.refusal is not None
        flash(request, "error" if refused else "ok", "flash.refused" if refused else done)
    return redirect(f"{desk(actor)}/out/{draft_id}")


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(request: Request) -> HTMLResponse:
    actor = actor_of(request)
    drafts = list(reversed(workbench(request).books.read(actor.agency.code).outgoing))
    return render(request, "outbox.html", section="outbox", drafts=drafts, progress=progress)


@router.get("/outbox/list", response_class=HTMLResponse)
async def outbox_list(request: Request) -> HTMLResponse:
    actor = actor_of(request)
    drafts = list(reversed(workbench(request).books.read(actor.agency.code).outgoing))
    return render(request, "_outbox_list.html", drafts=drafts, progress=progress)
