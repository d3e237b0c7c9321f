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
    "AGENCY_PREFIX",
    "SECURITY_HEADERS",
    "AgencyRequired",
    "CsrfFailed",
    "LoginRequired",
    "TrainerOnly",
    "actor_of",
    "checked_form",
    "csrf_token",
    "desk",
    "flash",
    "redirect",
    "render",
    "require_login",
    "require_trainer",
    "safe_next",
    "trainee_of",
    "workbench",
]

VIETNAM = timezone(timedelta(hours=7))
AGENCY_PREFIX = "/a"  # /a/{code}/{role}/...: an agency's pages in one role
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


class TrainerOnly(Exception):
    """A trainee asked for what only the trainer does (accounts, secrets, a new class)."""


def require_trainer(request: Request) -> str:
    user = require_login(request)
    if request.session.get("trainer") is not True:
        raise TrainerOnly
    return user


def trainee_of(request: Request) -> str | None:
    """The trainee logged in on this session (None for the trainer)."""
    user = request.session.get("user")
    trained = request.session.get("trainer") is not True
    return user if isinstance(user, str) and trained else None


def actor_of(request: Request) -> Actor:
    """Whom this page plays: the agency and the role in its address (`/a/CODE/ROLE/...`),
    never the session's, so every tab is its own desk and a stale one acts on its own."""
    require_login(request)
    code, role = request.path_params.get("code"), request.path_params.get("role")
    if not isinstance(code, str) or role not in ("clerk", "leader"):
        raise AgencyRequired
    return Actor(workbench(request).agency(code), Role(role))


def desk(actor: Actor, role: Role | None = None) -> str:
    """The address prefix of an agency's pages in a role: `/a/000.00.02.H37/clerk`."""
    return f"{AGENCY_PREFIX}/{actor.agency.code}/{(role or actor.role).value}"


def flash(request: Request, kind: str, key: str, **values: str) -> None:
    """A one-shot message for the next page of this desk (another tab's desk never sees it)."""
    messages = list(request.session.get("flash", []))
    request.session["flash"] = [*messages[-4:], [_scope(request), kind, key, values]]


def _scope(request: Request) -> str:
    code, role = request.path_params.get("code"), request.path_params.get("role")
    return f"{code}/{role}" if code else ""


def _take_flashes(request: Request, t: Translator) -> list[tuple[str, str]]:
    messages = request.session.get("flash", [])
    scope = _scope(request)
    mine = [m for m in messages if len(m) == 4 and m[0] == scope]
    kept = [m for m in messages if len(m) == 4 and m not in mine]  # older shapes dropped
    if len(kept) != len(messages):
        request.session["flash"] = kept
    return [(kind, t(key, **values)) for _, kind, key, values in mine]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    t = Translator(language(request.session.get("lang")))
    user = request.session.get("user")
    try:
        actor = actor_of(request) if user else None
    except (AgencyRequired, WorkbenchError):
        actor = None
    here = desk(actor) if actor else ""
    page = (
        _environment()
        .get_template(template)
        .render(
            t=t,
            lang=t.lang,
            csrf=csrf_token(request),
            user=user,
            trainer=request.session.get("trainer") is True,
            actor=actor,
            path=request.url.path,
            here=here,
            rest=request.url.path.removeprefix(here) if here else "",
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
