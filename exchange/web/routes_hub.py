"""The hub's live panel, the same for every desk."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from exchange.web.hubpanel import hub_figures
from exchange.web.pages import render, require_login, workbench

__all__ = ["router"]

router = APIRouter()


@router.get("/hub", response_class=HTMLResponse)
async def hub(request: Request) -> HTMLResponse:
    require_login(request)
    figures = await hub_figures(workbench(request))
    return render(request, "hub.html", section="hub", figures=figures)


@router.get("/hub/live", response_class=HTMLResponse)
async def hub_live(request: Request) -> HTMLResponse:
    require_login(request)
    figures = await hub_figures(workbench(request))
    return render(request, "_hub_live.html", figures=figures)
