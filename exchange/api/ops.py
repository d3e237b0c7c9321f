"""Operations endpoints: health and Prometheus metrics."""

from __future__ import annotations

import os
from collections.abc import Iterator

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

from exchange.api.hub import Hub
from exchange.db.repos.stats import HubCounts
from exchange.db.store import Store

__all__ = ["Metrics", "router"]

router = APIRouter(tags=["operations"])


class Metrics:
    """Requests are counted per process and, under several uvicorn workers
    (PROMETHEUS_MULTIPROC_DIR set by `eoffice serve`), summed over them; document counts come
    from the database, so every worker reports the same."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "eoffice_requests", "HTTP requests", ["path", "status"], registry=self.registry
        )
        self.counts = HubCounts({}, {}, {})
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
    counts = await hub.writer.run(_counts)
    board: Metrics = request.app.state.metrics
    return Response(board.render(counts), media_type=CONTENT_TYPE_LATEST)


def _counts(store: Store) -> HubCounts:
    return store.stats.counts()


@router.get("/noop")
async def noop() -> dict[str, str]:
    """Does nothing: the benchmark's ceiling for this machine and server."""
    return {"status": "ok"}
