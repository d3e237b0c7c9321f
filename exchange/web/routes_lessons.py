"""The lessons on failure (one click each)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web.lessons import LESSONS, default_recipient, run_lesson
from exchange.web.pages import (
    actor_of,
    checked_form,
    desk,
    flash,
    redirect,
    render,
    workbench,
)
from exchange.web.workbench import WorkbenchError

__all__ = ["router"]

router = APIRouter()


@router.get("/lessons", response_class=HTMLResponse)
async def lessons(request: Request) -> HTMLResponse:
    actor = actor_of(request)
    wb = workbench(request)
    others = [a for a in wb.directory.ordered() if a.code != actor.agency.code]
    return render(
        request,
        "lessons.html",
        section="lessons",
        lessons=LESSONS,
        agencies=others,
        default_recipient=default_recipient(wb, actor.agency).code,
    )


@router.post("/lessons/{name}")
async def lesson(request: Request, name: str) -> RedirectResponse:
    actor = actor_of(request)
    form = await checked_form(request)
    try:
        draft = await run_lesson(workbench(request), actor, name, str(form.get("recipient", "")))
    except WorkbenchError as error:
        flash(request, "error", error.key, **error.values)
        return redirect(f"{desk(actor)}/lessons")
    return redirect(f"{desk(actor)}/out/{draft.id}")
