"""The trainers' workbench on the hub's own application: `create_workbench_app()` is the
hub's `create_app()` plus the pages, their static files, the signed session, and a lifespan
that starts the agencies' systems (they poll the hub like real eOffice installations)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from exchange.api.app import create_app
from exchange.settings import Settings
from exchange.web import (
    routes_class,
    routes_compose,
    routes_connect,
    routes_home,
    routes_hub,
    routes_incoming,
    routes_lessons,
    routes_outgoing,
    routes_present,
    routes_wire,
)
from exchange.web.i18n import Translator, language
from exchange.web.incoming import poll_forever
from exchange.web.pages import (
    AGENCY_PREFIX,
    AgencyRequired,
    CsrfFailed,
    LoginRequired,
    TrainerOnly,
    redirect,
    render,
)
from exchange.web.settings import WorkbenchSettings
from exchange.web.workbench import Workbench, WorkbenchError

__all__ = ["SESSION_COOKIE", "create_workbench_app", "install"]

SESSION_COOKIE = "eoffice_workbench"
STATIC = Path(__file__).parent / "static"


def create_workbench_app(
    settings: Settings | None = None, web: WorkbenchSettings | None = None
) -> FastAPI:
    app = create_app(settings)
    install(app, web or WorkbenchSettings())  # the password from EXCHANGE_DEMO_PASSWORD
    return app


def install(app: FastAPI, web: WorkbenchSettings) -> None:
    router = APIRouter(lifespan=_lifespan(web), include_in_schema=False)
    for module in (routes_home, routes_hub, routes_present, routes_connect, routes_class):
        router.include_router(module.router)
    desks = (routes_compose, routes_outgoing, routes_incoming, routes_lessons, routes_wire)
    for module in desks:  # one agency, one role
        router.include_router(module.router, prefix=AGENCY_PREFIX + "/{code}/{role}")
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=web.session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=8 * 3600,
        same_site="strict",
    )
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(AgencyRequired, _agency_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(TrainerOnly, _trainer_only)
    app.add_exception_handler(WorkbenchError, _not_here)
    app.add_exception_handler(HTTPException, _no_page(app.exception_handlers[HTTPException]))


def _lifespan(web: WorkbenchSettings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.local") as http:
            wb = Workbench(app.state.hub, web, http)
            await wb.load_directory()
            app.state.workbench = wb
            poller = asyncio.create_task(poll_forever(wb), name="workbench-poller")
            try:
                yield
            finally:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    return lifespan


def _fragment(request: Request) -> bool:
    return request.headers.get("x-requested-with") == "fetch"


Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def _no_page(api: Handler) -> Callable[[Request, Exception], Awaitable[Response]]:
    """A browser asking for a page that does not exist gets a page saying so; everything
    else (a connector's call) gets the hub's JSON envelope, as before."""

    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        browser = "text/html" in request.headers.get("accept", "")
        if error.status_code != 404 or request.method != "GET" or not browser:
            answer = api(request, error)
            return await answer if inspect.isawaitable(answer) else answer
        t = Translator(language(request.session.get("lang")))
        return render(request, "error.html", status=404, message=t("error.no_page"))

    return handle


async def _login_required(request: Request, _: Exception) -> Response:
    return Response(status_code=401) if _fragment(request) else redirect("/login")


async def _agency_required(request: Request, _: Exception) -> Response:
    return Response(status_code=409) if _fragment(request) else redirect("/")


async def _csrf_failed(request: Request, _: Exception) -> Response:
    t = Translator(language(request.session.get("lang")))
    return render(request, "error.html", status=403, message=t("error.csrf"))


async def _trainer_only(request: Request, _: Exception) -> Response:
    t = Translator(language(request.session.get("lang")))
    return render(request, "error.html", status=403, message=t("error.trainer_only"))


async def _not_here(request: Request, error: Exception) -> Response:
    t = Translator(language(request.session.get("lang")))
    assert isinstance(error, WorkbenchError)
    return render(request, "error.html", status=404, message=t(error.key, **error.values))
