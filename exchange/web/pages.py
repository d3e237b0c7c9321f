"""What every page shares: the templates (Jinja2, autoescaped: nothing a user types becomes
HTML), the signed session (Starlette's SessionMiddleware), the trainer's login, the CSRF
token checked on every POST, the acting agency and role, one-shot messages, the language."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from exchange.web.i18n import Translator, language
from exchange.web.workbench import Actor, Role, Workbench, WorkbenchError

__all__ = [
    "SECURITY_HEADERS",
    "AgencyRequired",
    "CsrfFailed",
    "LoginRequired",
    "actor_of",
    "checked_form",
    "csrf_token",
    "flash",
    "redirect",
    "render",
    "require_login",
    "safe_next",
    "workbench",
]

VIETNAM = timezone(timedelta(hours=7))
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """No trainer is logged in: the login page."""


class AgencyRequired(Exception):
    """No agency is being played: the agency picker."""


class CsrfFailed(Exception):
    """A POST without the session's token (or from another origin)."""


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("exchange.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["vn_time"] = _vn_time
    environment.filters["vn_date"] = _vn_date
    return environment


def _vn_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S}"


def _vn_date(value: str) -> str:
    """edXML's yyyy/MM/dd as Vietnamese write it: dd/MM/yyyy."""
    parts = value.split("/")
    return "/".join(reversed(parts)) if len(parts) == 3 else value


def workbench(request: Request) -> Workbench:
    found: Workbench = request.app.state.workbench
    return found


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matches the session's and its origin is ours."""
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise CsrfFailed
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise CsrfFailed
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed
    return form


def require_login(request: Request) -> str:
    user = request.session.get("user")
    if not isinstance(user, str):
        raise LoginRequired
    return user


def actor_of(request: Request) -> Actor:
    require_login(request)
    code, role = request.session.get("agency"), request.session.get("role")
    if not isinstance(code, str) or role not in ("clerk", "leader"):
        raise AgencyRequired
    try:
        agency = workbench(request).agency(code)
    except WorkbenchError:
        raise AgencyRequired from None
    return Actor(agency, Role(role))


def flash(request: Request, kind: str, key: str, **values: str) -> None:
    messages = list(request.session.get("flash", []))
    request.session["flash"] = [*messages[-4:], [kind, key, values]]


def _take_flashes(request: Request, t: Translator) -> list[tuple[str, str]]:
    messages = request.session.pop("flash", [])
    return [(kind, t(key, **values)) for kind, key, values in messages]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    t = Translator(language(request.session.get("lang")))
    user = request.session.get("user")
    try:
        actor = actor_of(request) if user else None
    except AgencyRequired:
        actor = None
    page = (
        _environment()
        .get_template(template)
        .render(
            t=t,
            lang=t.lang,
            csrf=csrf_token(request),
            user=user,
            actor=actor,
            path=request.url.path,
            flashes=_take_flashes(request, t) if not template.startswith("_") else [],
            section=context.pop("section", ""),
            now=workbench(request).clock(),
            **context,
        )
    )
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


def safe_next(value: object, default: str = "/") -> str:
    """A local path to go back to; anything else (another site) is refused."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
    ):
        return value
    return default


def redirect(target: str) -> RedirectResponse:
    return RedirectResponse(safe_next(target), status_code=303)
