"""Open-model replay of a traffic schedule against a hub, its report, and the reconciliation.

`eoffice loadtest` (`loadtests.replay.run`) plays `loadtests.schedule` over HTTP with Locust:
documents are sent when the schedule says, every request's latency is measured from the time
it was meant to start (coordinated omission) with HDR histograms. `eoffice reconcile` compares
the regenerated schedule (`expected`) with the hub's ledger (`reconcile`).
"""

from __future__ import annotations

__all__: list[str] = []
