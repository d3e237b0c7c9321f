"""Operations endpoints: health and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)

from exchange.api.hub import Hub
from exchange.db.repos.stats import HubCounts
from exchange.db.store import Store

__all__ = ["Metrics", "router"]

router = APIRouter(tags=["operations"])


class Metrics:
    """Requests are counted per process; document counts come from the database."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "eoffice_requests", "HTTP requests", ["path", "status"], registry=self.registry
        )
        self.documents = self._gauge("eoffice_documents", "Stored messages", "kind")
        self.deliveries = self._gauge("eoffice_deliveries", "Deliveries", "state")
        self.statuses = self._gauge("eoffice_statuses", "Business status events", "code")
        self.backlog = Gauge(
            "eoffice_undelivered_backlog",
            "Deliveries not yet acknowledged done",
            registry=self.registry,
        )

    def _gauge(self, name: str, help_text: str, label: str) -> Gauge:
        return Gauge(name, help_text, [label], registry=self.registry)

    def update(self, counts: HubCounts) -> None:
        for gauge, values in (
            (self.documents, counts.documents),
            (self.deliveries, counts.deliveries),
            (self.statuses, counts.statuses),
        ):
            for key, value in values.items():
                gauge.labels(key).set(value)
        self.backlog.set(sum(v for k, v in counts.deliveries.items() if k != "done"))


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str]:
    hub: Hub = request.app.state.hub
    await hub.writer.run(lambda store: None)
    return {"status": "ok"}


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    counts = await hub.writer.run(_counts)
    board: Metrics = request.app.state.metrics
    board.update(counts)
    return Response(generate_latest(board.registry), media_type=CONTENT_TYPE_LATEST)


def _counts(store: Store) -> HubCounts:
    return store.stats.counts()


@router.get("/noop")
async def noop() -> dict[str, str]:
    """Does nothing: the benchmark's ceiling for this machine and server."""
    return {"status": "ok"}
