"""The national protocol's calls, dispatched straight to their endpoints.

Every VXP endpoint takes the bare `Request` and answers a `Response` itself: it needs none of
FastAPI's dependency solving or body validation, yet a request crossing the full stack of
middleware, routers and handlers cost the hub about a quarter of its CPU under the exchange
mix. `FastPath` sits outermost: a request whose method and exact path name one of the calls
(at the host root or under /vxp) goes to its endpoint with what the stack would have done
around it (header limits, the refusal envelope and its audit record, the request counter);
anything else (the docs, /metrics, an unknown path, a wrong method) takes the full stack,
where the same routes are declared for the OpenAPI description.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from exchange.api.errors import refusal_response
from exchange.domain.errors import ExchangeError

__all__ = ["FastPath", "endpoints_of"]

Endpoint = Callable[[Request], Awaitable[Response]]


def endpoints_of(
    routes: Iterable[object], prefixes: Iterable[str]
) -> dict[tuple[str, str], Endpoint]:
    """(method, path) -> endpoint for every route under every prefix."""
    table: dict[tuple[str, str], Endpoint] = {}
    for prefix in prefixes:
        for route in routes:
            if isinstance(route, APIRoute):
                for method in route.methods or ():
                    table[(method, prefix + route.path)] = route.endpoint
    return table


class FastPath:
    """Outermost ASGI layer: the calls in `endpoints` skip FastAPI's stack; `refused` checks a
    request's headers before anything reads it (None: go on), `counted` counts each answer."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        fastapi: FastAPI,
        endpoints: dict[tuple[str, str], Endpoint],
        refused: Callable[[Scope], ExchangeError | None],
        counted: Callable[[str, int], None],
    ) -> None:
        self.app = app
        self.fastapi = fastapi
        self.endpoints = endpoints
        self.refused = refused
        self.counted = counted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http":
            endpoint = self.endpoints.get((scope["method"], scope["path"]))
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        scope["app"] = self.fastapi
        request = Request(scope, receive)
        response = await self._answer(endpoint, request)
        self.counted(scope["path"], response.status_code)
        await response(scope, receive, send)

    async def _answer(self, endpoint: Endpoint, request: Request) -> Response:
        too_large = self.refused(request.scope)
        if too_large is not None:
            return refusal_response(request, too_large)
        try:
            return await endpoint(request)
        except ExchangeError as error:
            await self.fastapi.state.hub.audit_refusal(request, error)
            return refusal_response(request, error)
