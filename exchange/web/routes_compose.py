"""Drafting: compose, edit a draft before the leader signs, cancel it. A refused form comes
back with what was typed (never thrown away) and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from exchange.web import outgoing
from exchange.web.books import Outgoing
from exchange.web.directory import TIER_ORDER
from exchange.web.drafting import PRIORITIES, SECRECY_LEVELS, TEMPLATES
from exchange.web.i18n import Translator, language
from exchange.web.pages import actor_of, checked_form, desk, flash, redirect, render, workbench
from exchange.web.workbench import Actor, WorkbenchError

__all__ = ["ComposeForm", "router"]

router = APIRouter()


@dataclass
class ComposeForm:
    """What the compose form shows: empty, a draft's, or what was just typed."""

    template: str = "cong-van"
    subject: str = ""
    body: str = ""
    signer: str = ""
    priority: int = 0
    due_date: str = ""
    recipients: set[str] = field(default_factory=set)
    tier: str = ""
    secrecy: str = ""

    @classmethod
    def posted(cls, form: FormData) -> ComposeForm:
        priority = str(form.get("priority", "0"))
        return cls(
            template=str(form.get("template", "")),
            subject=str(form.get("subject", ""))[:300],
            body=str(form.get("body", ""))[:4000],
            signer=str(form.get("signer", "")),
            priority=int(priority) if priority.isdigit() else -1,
            due_date=str(form.get("due_date", ""))[:10],
            recipients={str(v) for v in form.getlist("recipients")},
            tier=str(form.get("tier", "")),
            secrecy=str(form.get("secrecy", "")),
        )

    @classmethod
    def of(cls, draft: Outgoing) -> ComposeForm:
        return cls(
            template=draft.template,
            subject=draft.subject,
            body=draft.body,
            signer=draft.signer_id,
            priority=draft.priority,
            due_date=draft.due_date.isoformat() if draft.due_date else "",
            recipients=set(draft.recipients),
            secrecy=draft.secrecy,
        )

    def request(self, today: date) -> outgoing.DraftRequest:
        """The draft asked for, or WorkbenchError naming what to correct."""
        if self.priority not in PRIORITIES or self.secrecy not in SECRECY_LEVELS:
            raise WorkbenchError("error.form")
        if self.tier and self.tier not in {t.value for t in TIER_ORDER}:
            raise WorkbenchError("error.form")
        due = _date(self.due_date)
        if due is not None and due < today:
            raise WorkbenchError("error.due_past")
        return outgoing.DraftRequest(
            template=self.template,
            subject=self.subject,
            body=self.body,
            signer_id=self.signer,
            priority=self.priority,
            due_date=due,
            recipients=tuple(sorted(self.recipients)),
            tier=self.tier,
            secrecy=self.secrecy,
        )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise WorkbenchError("error.due_invalid") from None


def _page(
    request: Request, actor: Actor, form: ComposeForm, *, draft: Outgoing | None = None, **more: Any
) -> HTMLResponse:
    wb = workbench(request)
    today = wb.clock().astimezone(outgoing.VIETNAM).date()
    return render(
        request,
        "compose.html",
        section="compose",
        form=form,
        draft=draft,
        templates=list(TEMPLATES.values()),
        people=wb.keys.people(actor.agency.code),
        priorities=PRIORITIES,
        secrecy_levels=SECRECY_LEVELS,
        tiers=[t.value for t in TIER_ORDER],
        agencies=[a for a in wb.directory.ordered() if a.code != actor.agency.code],
        next_number=wb.books.read(actor.agency.code).peek_number(today.year),
        today=today.isoformat(),
        **more,
    )


def _refused(request: Request, actor: Actor, form: ComposeForm, key: str, **values: str) -> Any:
    t = Translator(language(request.session.get("lang")))
    return _page(request, actor, form, error=t(key, **values))


@router.get("/compose", response_class=HTMLResponse)
async def compose_page(request: Request) -> HTMLResponse:
    return _page(request, actor_of(request), ComposeForm())


@router.post("/compose")
async def compose(request: Request) -> Response:
    actor = actor_of(request)
    form = ComposeForm.posted(await checked_form(request))
    wb = workbench(request)
    try:
        draft = outgoing.create_draft(wb, actor, form.request(_today(request)))
    except WorkbenchError as error:
        response: Response = _refused(request, actor, form, error.key, **error.values)
        response.status_code = 422
        return response
    flash(request, "ok", "flash.drafted", code=draft.code)
    return redirect(f"{desk(actor)}/out/{draft.id}")


@router.get("/out/{draft_id:int}/edit", response_class=HTMLResponse)
async def edit_page(request: Request, draft_id: int) -> HTMLResponse:
    actor = actor_of(request)
    draft = outgoing.own_draft(workbench(request), actor.agency, draft_id)
    return _page(request, actor, ComposeForm.of(draft), draft=draft)


@router.post("/out/{draft_id:int}/edit")
async def edit(request: Request, draft_id: int) -> Response:
    actor = actor_of(request)
    form = ComposeForm.posted(await checked_form(request))
    wb = workbench(request)
    draft = outgoing.own_draft(wb, actor.agency, draft_id)
    try:
        outgoing.update_draft(wb, actor, draft_id, form.request(_today(request)))
    except WorkbenchError as error:
        response: Response = _refused(request, actor, form, error.key, **error.values)
        response.status_code = 422
        return response
    flash(request, "ok", "flash.edited", code=draft.code)
    return redirect(f"{desk(actor)}/out/{draft_id}")


@router.post("/out/{draft_id:int}/cancel")
async def cancel(request: Request, draft_id: int) -> Response:
    actor = actor_of(request)
    await checked_form(request)
    try:
        draft = outgoing.cancel_draft(workbench(request), actor, draft_id)
    except WorkbenchError as error:
        flash(request, "error", error.key, **error.values)
    else:
        flash(request, "ok", "flash.cancelled", code=draft.code)
    return redirect(f"{desk(actor)}/out/{draft_id}")


def _today(request: Request) -> date:
    return workbench(request).clock().astimezone(outgoing.VIETNAM).date()
