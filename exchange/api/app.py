"""The application factory: settings in, a FastAPI app with the hub's parts out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exchange.api import cpu_meter, ops, vxp
from exchange.api.envelope import fail
from exchange.api.errors import install_error_handlers, status_for
from exchange.api.fast_path import FastPath, endpoints_of
from exchange.api.hub import Hub
from exchange.api.openapi import install_openapi
from exchange.domain.errors import HeaderTooLarge
from exchange.settings import Settings
from signing.service import pki_service

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, hub: Hub | None = None) -> FastAPI:
    hub = hub or Hub(settings or Settings())

    metrics = ops.Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if hub.settings.cpu_accounting:
            sink, every = cpu_meter.CallCpu(metrics.registry), hub.settings.cpu_accounting_every
            cpu_meter.install(asyncio.get_running_loop(), sink, every)
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
    app.state.metrics = metrics
    install_error_handlers(app)
    app.include_router(vxp.router)  # the national hub's endpoint is a host root
    app.include_router(vxp.router, prefix="/vxp", include_in_schema=False)
    app.include_router(ops.router)
    # The simulated CA (CRLs, CA certificates, OCSP): served beside the hub, from the PKI's
    # folder only; the addresses its certificates name.
    app.mount("/pki", pki_service(hub.settings.pki_path))
    install_openapi(app)
    app.add_middleware(RequestCounter, metrics=app.state.metrics)
    app.add_middleware(ops.OpsGate, settings=hub.settings)
    single, total = hub.settings.max_header_bytes, hub.settings.max_headers_bytes
    app.add_middleware(HeaderLimits, single=single, total=total)
    app.add_middleware(
        FastPath,
        fastapi=app,
        endpoints=endpoints_of(vxp.router.routes, ("", "/vxp")),
        refused=lambda scope: header_refusal(scope, single, total),
        counted=lambda path, status: metrics.requests.labels(path, str(status)).inc(),
    )
    return app


def header_refusal(scope: Scope, single: int, total: int) -> HeaderTooLarge | None:
    """The refusal for a request with a header over `single` bytes or all over `total`."""
    sizes = [len(name) + len(value) for name, value in scope["headers"]]
    if sum(sizes) <= total and all(size <= single for size in sizes):
        return None
    return HeaderTooLarge(
        f"A header is longer than {single} bytes, or all of them together than {total} bytes."
    )


class HeaderLimits:
    """Refuses oversized headers before any route, body or database sees the request."""

    def __init__(self, app: ASGIApp, single: int, total: int) -> None:
        self.app, self.single, self.total = app, single, total

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = header_refusal(scope, self.single, self.total)
            if refusal is not None:
                await fail(refusal, status_for(refusal))(scope, receive, send)
                return
        await self.app(scope, receive, send)


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
