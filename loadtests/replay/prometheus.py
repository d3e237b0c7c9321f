"""A replay's figures, live, for Prometheus (`eoffice loadtest --prometheus-port N`): what the
progress bar shows, per call too, served at http://HOST:N/metrics while the run lasts and
refreshed from the workers' parts every half second, so a run can be watched in Grafana
beside the hub's own /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Gauge, start_http_server

from loadtests.replay.merge import Merged

__all__ = ["Exporter"]

TOTALS = ("planned", "documents", "requests", "errors", "deliveries", "acked")
GAUGES = ("held", "in_flight", "verified", "verify_failed")


class Exporter:
    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.registry = CollectorRegistry()
        gauge = self._gauge
        self.totals = gauge("total", "counts so far (planned, documents, requests...)", "what")
        self.now = gauge("now", "held statuses, requests in flight, signatures", "what")
        self.backlog = gauge("backlog", "deliveries not yet acknowledged")
        self.latency = gauge("latency_ms", "ms from the intended time", "call", "quantile")
        self.calls = gauge("call_requests", "requests per call", "call")
        start_http_server(port, addr=host, registry=self.registry)

    def _gauge(self, name: str, text: str, *labels: str) -> Gauge:
        return Gauge(f"eoffice_loadtest_{name}", text, labels, registry=self.registry)

    def update(self, merged: Merged) -> None:
        for name in TOTALS:
            self.totals.labels(name).set(merged.total(name))
        for name in GAUGES:
            self.now.labels(name).set(merged.gauge(name))
        self.backlog.set(merged.total("deliveries") - merged.total("acked"))
        for call, histogram in merged.latency.items():
            self.calls.labels(call).set(histogram.get_total_count())
            for quantile in (50, 99):
                micros = histogram.get_value_at_percentile(quantile)
                self.latency.labels(call, f"0.{quantile}").set(micros / 1000)
