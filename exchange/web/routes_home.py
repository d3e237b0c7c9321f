"""Login, language and the agency picker (the tier tree: each agency's desks are links)."""

from __future__ import annotations

import asyncio
import hmac
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from exchange.domain.agencies import Tier
from exchange.web.i18n import language
from exchange.web.pages import (
    checked_form,
    csrf_token,
    flash,
    redirect,
    render,
    require_login,
    safe_next,
    workbench,
)

__all__ = ["router"]

router = APIRouter()
FAVICON = Path(__file__).parent / "static" / "favicon.svg"
_FAILED_LOGIN_DELAY = 0.5  # seconds: guessing a password takes long


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@router.post("/login")
async def login(request: Request) -> RedirectResponse:
    form = await checked_form(request)
    wb = workbench(request)
    account = wb.web
    user, password = str(form.get("user", "")), str(form.get("password", ""))
    good_user = hmac.compare_digest(user.encode(), account.user.encode())
    good_password = hmac.compare_digest(
        password.encode(), account.password.get_secret_value().encode()
    )
    trainer = good_user and good_password
    if not trainer and not (user != account.user and wb.trainees.check(user, password)):
        await asyncio.sleep(_FAILED_LOGIN_DELAY)
        flash(request, "error", "auth.failed")
        return redirect("/login")
    lang = request.session.get("lang")
    request.session.clear()  # a fresh session (and CSRF token) once logged in
    request.session.update(user=user, lang=language(lang), trainer=trainer)
    csrf_token(request)
    return redirect("/")


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    await checked_form(request)
    lang = request.session.get("lang")
    request.session.clear()
    request.session["lang"] = language(lang)
    return redirect("/login")


@router.post("/lang")
async def switch_language(request: Request) -> RedirectResponse:
    form = await checked_form(request)
    request.session["lang"] = language(form.get("lang"))
    return redirect(safe_next(form.get("next")))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    require_login(request)
    wb = workbench(request)
    tree = wb.directory.tree()
    return render(
        request,
        "home.html",
        section="home",
        tree=[n for n in tree if n.agency.tier is not Tier.CENTRAL],
        central=[n for n in tree if n.agency.tier is Tier.CENTRAL],
        province=wb.directory.province_name,
    )


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    return Response(FAVICON.read_bytes(), media_type="image/svg+xml")
