"""The benchmark's figures: the targets checked, a compact table, and the same as JSON. Pure.

Targets (on SQLite; the same checks are printed for any back end): the mix reaches at least
half of the ceiling's requests/s, and at 70% of the peak rate every call's p99 stays under
100 ms. They are reported, never turned into an exit status: speed is a finding, not a crash.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loadtests.bench.call_costs import CallCost
from loadtests.bench.phases import PhaseResult
from loadtests.locust_stats import CallStats

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "MIN_MIX_RATIO",
    "P99_LIMIT_MS",
    "BenchReport",
    "PhaseFigures",
    "Target",
    "figures",
    "render",
    "targets",
    "write_json",
]

MIN_MIX_RATIO = 0.5
P99_LIMIT_MS = 100.0


@dataclass(frozen=True, slots=True)
class PhaseFigures:
    name: str
    users: int
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    failures: int
    documents_per_s: float  # sent (201)
    requests_per_document: float | None
    documents_completed_per_s: float  # every recipient's 03 collected by the sender
    hub_cpu: float | None  # share of one core over the measured window
    locust_cpu: float | None
    calls: tuple[CallStats, ...]
    counters: dict[str, float]
    costs: dict[str, CallCost] = field(default_factory=dict)  # per call: CPU us per request

    @property
    def hub_us(self) -> float | None:
        """The hub's CPU per request, in microseconds (all of it, shared work included)."""
        return _per_request(self.hub_cpu, self.rps)

    @property
    def generator_us(self) -> float | None:
        return _per_request(self.locust_cpu, self.rps)

    def shared_us(self, side: str) -> float | None:
        """CPU per request that no call owns (total minus the calls' own, weighted)."""
        total = self.hub_us if side == "hub" else self.generator_us
        owned = [
            (c.requests, getattr(self.costs.get(c.name), f"{side}_us", None)) for c in self.calls
        ]
        if total is None or not owned or any(us is None for _, us in owned):
            return None
        requests = sum(n for n, _ in owned)
        return total - sum(n * (us or 0.0) for n, us in owned) / requests if requests else None


def _per_request(share: float | None, rps: float) -> float | None:
    return None if share is None or rps <= 0 else share / rps * 1e6


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    value: float | None
    limit: float
    passed: bool
    detail: str


@dataclass(frozen=True, slots=True)
class BenchReport:
    backend: str
    database: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    ceiling: PhaseFigures
    peak: PhaseFigures
    paced: PhaseFigures
    costs: PhaseFigures  # the peak's mix again, each call's CPU metered on both sides
    ratio: float
    targets: tuple[Target, ...]


def figures(result: PhaseResult) -> PhaseFigures:
    total = result.stats.total
    sent = result.counters.get("documents_sent", 0.0)
    return PhaseFigures(
        name=result.phase.name,
        users=result.phase.users,
        rps=total.rps,
        p50_ms=total.p50,
        p99_ms=total.p99,
        requests=total.requests,
        failures=total.failures,
        documents_per_s=result.documents_per_second,
        requests_per_document=total.requests / sent if sent else None,
        documents_completed_per_s=result.per_second("documents_completed"),
        hub_cpu=result.hub_cpu,
        locust_cpu=result.locust_cpu,
        calls=result.stats.calls,
        counters=result.counters,
        costs=result.costs,
    )


def targets(ceiling: PhaseFigures, peak: PhaseFigures, paced: PhaseFigures) -> tuple[Target, ...]:
    ratio = peak.rps / ceiling.rps if ceiling.rps else 0.0
    known = [c for c in paced.calls if c.p99 is not None]
    worst = max(known, key=lambda c: c.p99 or 0.0, default=None)
    worst_p99 = None if worst is None else worst.p99
    return (
        Target(
            "mix req/s >= 0.5 x ceiling req/s",
            ratio,
            MIN_MIX_RATIO,
            ratio >= MIN_MIX_RATIO,
            f"{peak.rps:,.0f} / {ceiling.rps:,.0f} req/s",
        ),
        Target(
            "p99 < 100 ms per call at 70% of peak",
            worst_p99,
            P99_LIMIT_MS,
            worst_p99 is not None and worst_p99 < P99_LIMIT_MS,
            "no requests" if worst is None else f"worst: {worst.name}",
        ),
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _phase_line(label: str, f: PhaseFigures) -> str:
    docs = f"{f.documents_per_s:8.1f}" if f.counters else f"{'-':>8}"
    return (
        f"{label:<26}{f.users:>6}{f.rps:>10,.0f}{docs}{_ms(f.p50_ms):>8}{_ms(f.p99_ms):>8}"
        f"{f.failures:>7}{_share(f.hub_cpu):>9}{_share(f.locust_cpu):>9}"
        f"{_ms(f.hub_us):>8}{_ms(f.generator_us):>8}"
    )


def _cost_columns(cost: CallCost | None) -> str:
    if cost is None:
        return f"{'-':>8}{'-':>8}"
    return f"{_ms(cost.hub_us):>8}{_ms(cost.generator_us):>8}"


def _call_columns(peak: CallStats, paced: CallStats | None) -> str:
    at70 = (
        ("-", "-", "-", 0)
        if paced is None
        else (f"{paced.rps:,.1f}", _ms(paced.p50), _ms(paced.p99), paced.failures)
    )
    return (
        f"{peak.rps:>11,.1f}{_ms(peak.p50):>6}{_ms(peak.p99):>6}   |{at70[0]:>10}{at70[1]:>6}"
        f"{at70[2]:>6}{peak.failures + at70[3]:>7}"
    )


def _call_lines(peak: PhaseFigures, paced: PhaseFigures, costs: PhaseFigures) -> list[str]:
    lines = [
        f"{'per call':<28}{'peak req/s':>11}{'p50':>6}{'p99':>6}   |{'70% req/s':>10}"
        f"{'p50':>6}{'p99':>6}{'fails':>7}   |{'hub us':>8}{'gen us':>8}"
    ]
    for call in sorted(peak.calls, key=lambda c: c.name):
        at70 = next((c for c in paced.calls if c.name == call.name), None)
        lines.append(
            f"{call.method + ' ' + call.name:<28}"
            + _call_columns(call, at70)
            + "   |"
            + _cost_columns(costs.costs.get(call.name))
        )
    shared = (_ms(costs.shared_us("hub")), _ms(costs.shared_us("generator")))
    lines.append(f"{'shared (no call owns it)':<28}{'':>51}   |{shared[0]:>8}{shared[1]:>8}")
    return lines


def render(report: BenchReport) -> str:
    m, s = report.machine, report.settings
    head = (
        f"eoffice bench: {report.backend} ({report.database}); {m['cores']} cores "
        f"({m['usable_cores']} usable); hub {s['workers']} worker(s) on {s['hub_cores']}, "
        f"Locust on {s['locust_cores']}; {s['seconds']} s per phase; transport "
        f"{s.get('transport', 'keep-alive')}"
    )
    columns = (
        f"{'phase':<26}{'users':>6}{'req/s':>10}{'docs/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'fails':>7}{'hub CPU':>9}{'Locust':>9}{'hub us':>8}{'gen us':>8}"
    )
    paced_label = f"mix at 70% ({s['paced_docs_per_s']:.1f} docs/s)"
    lines = [
        head,
        columns,
        _phase_line("ceiling: GET /noop", report.ceiling),
        _phase_line("peak: exchange mix", report.peak),
        _phase_line(paced_label, report.paced),
        f"ratio mix/ceiling: {report.ratio:.2f}   requests per document: "
        f"{_ms(report.peak.requests_per_document)}",
        "",
        *_call_lines(report.peak, report.paced, report.costs),
        "CPU per request in microseconds (us), the hub's and the generator's (Locust): each call's"
        " own, from a run of the peak's mix that meters them (the hub one request in"
        " EXCHANGE_CPU_ACCOUNTING_EVERY); 'shared' is what no call owns (HTTP parsing, commits,"
        " Locust's own loop).",
        f"ceiling's cost per request: hub {_ms(report.ceiling.hub_us)} us, generator "
        f"{_ms(report.ceiling.generator_us)} us; the mix's: hub {_ms(report.peak.hub_us)} us, "
        f"generator {_ms(report.peak.generator_us)} us",
        "",
    ]
    for target in report.targets:
        verdict = "PASS" if target.passed else "FAIL"
        value = "-" if target.value is None else f"{target.value:,.2f}"
        lines.append(f"{verdict}  {target.name}: {value} (limit {target.limit:g}; {target.detail})")
    return "\n".join(lines)


def write_json(report: DataclassInstance, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(report), indent=1, ensure_ascii=False) + "\n")
