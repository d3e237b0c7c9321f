"""Operations endpoints: health and Prometheus metrics, and the gate that can keep metrics
and the API's docs from anonymous clients (EXCHANGE_PUBLIC_OPS=false)."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Receive, Scope, Send

from exchange.api import cpu_meter
from exchange.api.envelope import fail
from exchange.api.hub import Hub
from exchange.db.repos.stats import CountsReader, HubCounts
from exchange.domain.errors import UnknownCall
from exchange.settings import Settings

__all__ = ["OPS_PATHS", "CountsCache", "Metrics", "OpsGate", "router"]

# What the gate keeps: the metrics and FastAPI's documentation pages (create_app's defaults).
OPS_PATHS = frozenset({"/metrics", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})

router = APIRouter(tags=["operations"])


class CountsCache:
    """The document counts, read at most every `metrics_cache_seconds` through a read-only
    connection in a thread: never inside the batch writer, never on the event loop. Scrapes
    that arrive while a read runs wait for that read, so a burst of them costs one query."""

    def __init__(self, reader: Callable[[str], CountsReader] = CountsReader) -> None:
        self._make_reader = reader
        self._reader: CountsReader | None = None
        self._counts: HubCounts | None = None
        self._read_at = 0.0
        self._reading: asyncio.Task[HubCounts] | None = None

    async def get(self, settings: Settings) -> HubCounts:
        fresh = time.monotonic() - self._read_at < settings.metrics_cache_seconds
        if self._counts is not None and fresh:
            return self._counts
        if self._reading is None:
            self._reading = asyncio.create_task(self._read(settings.database_url))
        return await asyncio.shield(self._reading)  # a scrape that goes away leaves the read

    async def _read(self, url: str) -> HubCounts:
        try:
            self._reader = self._reader or self._make_reader(url)
            started = time.monotonic()
            self._counts = await asyncio.to_thread(self._reader.read)
            self._read_at = started
            return self._counts
        finally:
            self._reading = None


class Metrics:
    """Requests are counted per process and, under several uvicorn workers
    (PROMETHEUS_MULTIPROC_DIR set by `eoffice serve`), summed over them; document counts come
    from the database (`CountsCache`), so every worker reports the same."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "eoffice_requests", "HTTP requests", ["path", "status"], registry=self.registry
        )
        self.counts = HubCounts({}, {}, {})
        self.cache = CountsCache()
        self._counts_registry = CollectorRegistry()
        self._counts_registry.register(_CountsCollector(self))

    def render(self, counts: HubCounts) -> bytes:
        self.counts = counts
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            summed = CollectorRegistry()
            multiprocess.MultiProcessCollector(summed)  # type: ignore[no-untyped-call]
            requests = generate_latest(summed)
        else:
            requests = generate_latest(self.registry)
        return requests + generate_latest(self._counts_registry)


class _CountsCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        counts = self._metrics.counts
        for name, help_text, label, values in (
            ("eoffice_documents", "Stored messages", "kind", counts.documents),
            ("eoffice_deliveries", "Deliveries", "state", counts.deliveries),
            ("eoffice_statuses", "Business status events", "code", counts.statuses),
        ):
            family = GaugeMetricFamily(name, help_text, labels=[label])
            for key, value in sorted(values.items()):
                family.add_metric([key], value)
            yield family
        backlog = sum(v for k, v in counts.deliveries.items() if k != "done")
        yield GaugeMetricFamily(
            "eoffice_undelivered_backlog", "Deliveries not yet acknowledged done", value=backlog
        )


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str]:
    hub: Hub = request.app.state.hub
    await hub.writer.run(lambda store: None)
    return {"status": "ok"}


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    board: Metrics = request.app.state.metrics
    counts = await board.cache.get(hub.settings)
    return Response(board.render(counts), media_type=CONTENT_TYPE_LATEST)


@router.get("/noop")
async def noop() -> dict[str, str]:
    """Does nothing: the benchmark's ceiling for this machine and server."""
    cpu_meter.label("noop")
    return {"status": "ok"}


class OpsGate:
    """With EXCHANGE_PUBLIC_OPS=false, OPS_PATHS answer only a client whose address is in
    EXCHANGE_OPS_ALLOW or that sends `Authorization: Bearer <EXCHANGE_OPS_TOKEN>`; anyone else
    gets the answer for a call that does not exist. Pure ASGI, before any route."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.public = settings.public_ops
        self.networks = [ipaddress.ip_network(n, strict=False) for n in settings.ops_allow]
        token = settings.ops_token.get_secret_value() if settings.ops_token else ""
        self.bearer = f"Bearer {token}".encode() if token else b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._allowed(scope):
            await self.app(scope, receive, send)
        else:
            await fail(UnknownCall("The hub has no such call."), 404)(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        if self.public or scope["type"] != "http" or scope["path"] not in OPS_PATHS:
            return True
        return self._has_token(scope) or self._from_allowed_network(scope)

    def _has_token(self, scope: Scope) -> bool:
        if not self.bearer:
            return False
        sent = [value for name, value in scope["headers"] if name == b"authorization"]
        return any(hmac.compare_digest(value, self.bearer) for value in sent)

    def _from_allowed_network(self, scope: Scope) -> bool:
        client = scope.get("client")
        try:
            address = ipaddress.ip_address(client[0]) if client else None
        except ValueError:  # not an address (a test client, a unix socket)
            return False
        return address is not None and any(address in network for network in self.networks)
