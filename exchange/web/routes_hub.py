"""The hub's live panel, the same for every desk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web.hubpanel import hub_figures
from exchange.web.pages import (
    checked_form,
    flash,
    redirect,
    render,
    require_login,
    require_trainer,
    workbench,
)
from exchange.web.reset import reset_class

__all__ = ["router"]

router = APIRouter()


@router.get("/hub", response_class=HTMLResponse)
async def hub(request: Request) -> HTMLResponse:
    require_login(request)
    figures = await hub_figures(workbench(request))
    confirming = request.query_params.get("confirm") == "reset"
    return render(request, "hub.html", section="hub", figures=figures, confirming=confirming)


@router.post("/hub/reset")
async def reset(request: Request) -> RedirectResponse:
    """A new class: the hub's exchange and every agency's books start again."""
    require_trainer(request)
    await checked_form(request)
    removed = await reset_class(workbench(request))
    flash(request, "ok", "flash.reset", count=str(removed))
    return redirect("/hub")


@router.get("/hub/live", response_class=HTMLResponse)
async def hub_live(request: Request) -> HTMLResponse:
    require_login(request)
    figures = await hub_figures(workbench(request))
    return render(request, "_hub_live.html", figures=figures)
