"""The application factory: settings in, a FastAPI app with the hub's parts out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exchange.api import ops, vxp
from exchange.api.errors import install_error_handlers
from exchange.api.hub import Hub
from exchange.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, hub: Hub | None = None) -> FastAPI:
    hub = hub or Hub(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub.start()
        try:
            yield
        finally:
            hub.stop()

    app = FastAPI(
        title="eoffice-sim hub",
        description="Liên thông văn bản điện tử: edXML (QCVN 102:2016) exchange between agencies.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.hub = hub
    app.state.metrics = ops.Metrics()
    install_error_handlers(app)
    app.include_router(vxp.router)
    app.include_router(ops.router)
    app.add_middleware(RequestCounter, metrics=app.state.metrics)
    return app


class RequestCounter:
    """Pure ASGI middleware (no per-request task as with BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp, metrics: ops.Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(path, str(status)).inc()
