"""Connect your own eOffice system: the endpoint, a seeded system's id and secret, and the
switch that hands that system to the trainee's SDK-based connector (the workbench stops
polling for it, so what its agencies receive goes to the trainee's system) or takes it back."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.web.connector import PREFIX
from exchange.web.pages import checked_form, flash, redirect, render, require_trainer, workbench
from exchange.web.workbench import WorkbenchError

__all__ = ["router"]

router = APIRouter()


@router.get("/connect", response_class=HTMLResponse)
async def connect_page(request: Request) -> HTMLResponse:
    require_trainer(request)
    wb = workbench(request)
    chosen = request.query_params.get("system", "")
    if chosen and chosen not in wb.clients:
        raise WorkbenchError("error.system_unknown")
    credential = next((c for c in wb.credentials if c.system_id == chosen), None)
    base = f"{request.url.scheme}://{request.url.netloc}"
    return render(
        request,
        "connect.html",
        section="connect",
        systems=wb.credentials,
        chosen=credential,
        hosted=[wb.agency(code) for code in credential.agencies] if credential else [],
        endpoint=base,
        endpoint_vxp=base + PREFIX,
        external=wb.external,
    )


@router.post("/connect/{system_id}")
async def hand_over(request: Request, system_id: str) -> RedirectResponse:
    require_trainer(request)
    form = await checked_form(request)
    wb = workbench(request)
    if system_id not in wb.clients:
        raise WorkbenchError("error.system_unknown")
    if form.get("give") == "1":
        wb.external.add(system_id)
        flash(request, "ok", "flash.handed_over", system=system_id)
    else:
        wb.external.discard(system_id)
        flash(request, "ok", "flash.taken_back", system=system_id)
    return redirect(f"/connect?system={system_id}")
