"""The class: the trainer makes trainee accounts and sees everyone's progress; a trainee sees
only their own."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web.pages import (
    checked_form,
    flash,
    redirect,
    render,
    require_login,
    require_trainer,
    trainee_of,
    workbench,
)

__all__ = ["router"]

router = APIRouter()


@router.get("/class", response_class=HTMLResponse)
async def class_page(request: Request) -> HTMLResponse:
    require_trainer(request)
    made = request.session.pop("made", None)
    trainees = workbench(request).trainees.all()
    return render(request, "class.html", section="class", trainees=trainees, made=made)


@router.post("/class/trainees")
async def add_trainee(request: Request) -> RedirectResponse:
    require_trainer(request)
    form = await checked_form(request)
    name = str(form.get("name", "")).strip().lower()
    try:
        password = workbench(request).trainees.add(name)
    except ValueError:
        flash(request, "error", "error.trainee_name")
        return redirect("/class")
    request.session["made"] = [name, password]  # shown once, on the next page
    return redirect("/class")


@router.get("/progress", response_class=HTMLResponse)
async def progress(request: Request) -> HTMLResponse:
    require_login(request)
    name = trainee_of(request)
    if name is None:
        return render(request, "class.html", section="class", trainees=[], made=None)
    own = workbench(request).trainees.get(name)
    return render(request, "progress.html", section="class", trainee=own)
