"""What verifying signatures on arrival costs the exchange mix: the same signed documents sent
to a hub with EXCHANGE_SIGNATURE_POLICY=off and to one with =enforce. Pure.

Target (the signing issue): under `enforce` the mix keeps at least 80% of its documents/s, and
the hub accepts every signed document. Reported, never turned into an exit status (the table:
`loadtests.signatures.table`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from loadtests.bench.phases import PhaseResult
from loadtests.bench.report import PhaseFigures, Target, figures
from loadtests.locust_stats import Failure, refusal_codes

__all__ = [
    "CONTENDED",
    "LOCUST_BUSY",
    "MIN_KEPT",
    "POLICIES",
    "SEND",
    "PolicyRun",
    "SignatureReport",
    "policy_run",
    "signature_report",
    "signature_targets",
    "warnings",
]

POLICIES = ("off", "enforce")
MIN_KEPT = 0.8
SEND = "sendEdoc edoc"
LOCUST_BUSY = 0.9  # share of its core above which the figures may be Locust's, not the hub's
CONTENDED = 0.1  # CPU stall share above which something else competed for the cores


@dataclass(frozen=True, slots=True)
class PolicyRun:
    policy: str
    run: int  # 1, 2, ...: the pair it belongs to
    figures: PhaseFigures
    send_p50_ms: float | None  # sendEdoc edoc
    send_p99_ms: float | None
    refusals: dict[str, int]  # sendEdoc edoc refused, by the hub's code
    cpu_stall: float | None  # share of the window some task, anywhere, waited for a core

    @property
    def refused(self) -> int:
        return sum(self.refusals.values())

    @property
    def hub_ms_per_document(self) -> float | None:
        """The hub's CPU time per document sent (all the calls a document brings along)."""
        f = self.figures
        if f.hub_cpu is None or not f.documents_per_s:
            return None
        return 1000.0 * f.hub_cpu / f.documents_per_s

    def counter(self, name: str) -> int:
        return int(self.figures.counters.get(name, 0))


@dataclass(frozen=True, slots=True)
class SignatureReport:
    backend: str
    database: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    runs: tuple[PolicyRun, ...]  # in the order they ran
    off: PolicyRun  # each policy's median run (by documents/s)
    enforce: PolicyRun
    docs_ratio: float  # enforce / off, documents/s of the median runs
    kept: float  # median of the pair-by-pair documents/s ratios (the target's figure)
    rps_ratio: float
    pair_ratios: tuple[float, ...]  # documents/s, pair by pair
    hub_ms_per_document: dict[str, float | None]  # median per policy
    cpu_ratio: float | None  # off / enforce hub CPU per document: what a CPU-bound hub keeps
    targets: tuple[Target, ...]
    warnings: tuple[str, ...]


def policy_run(
    policy: str, run: int, result: PhaseResult, failures: Sequence[Failure]
) -> PolicyRun:
    send = result.stats.call(SEND)
    return PolicyRun(
        policy=policy,
        run=run,
        figures=figures(result),
        send_p50_ms=None if send is None else send.p50,
        send_p99_ms=None if send is None else send.p99,
        refusals=refusal_codes(failures, SEND),
        cpu_stall=result.cpu_stall,
    )


def _ratio(enforce: float, off: float) -> float:
    return enforce / off if off else 0.0


def _median(runs: Sequence[PolicyRun], policy: str) -> PolicyRun:
    mine = sorted((r for r in runs if r.policy == policy), key=lambda r: r.figures.documents_per_s)
    if not mine:
        raise ValueError(f"no run with the policy {policy!r}")
    return mine[len(mine) // 2]


def _median_cost(runs: Sequence[PolicyRun], policy: str) -> float | None:
    costs = [c for r in runs if r.policy == policy and (c := r.hub_ms_per_document) is not None]
    return statistics.median(costs) if costs else None


def _pair_ratios(runs: Sequence[PolicyRun]) -> tuple[float, ...]:
    by_pair = {(r.policy, r.run): r.figures.documents_per_s for r in runs}
    pairs = sorted({r.run for r in runs})
    return tuple(
        _ratio(by_pair[("enforce", p)], by_pair[("off", p)])
        for p in pairs
        if ("enforce", p) in by_pair and ("off", p) in by_pair
    )


def signature_targets(runs: Sequence[PolicyRun], kept: float) -> tuple[Target, ...]:
    """`kept`: enforce/off documents/s, the median over the pairs (each pair ran back to back,
    so load that drifts over the bench, from elsewhere on the machine, hits both alike)."""
    enforced = [r for r in runs if r.policy == "enforce"]
    refused: Counter[str] = Counter()
    for run in enforced:
        refused.update(run.refusals)
    accepted = sum(r.counter("documents_sent") for r in enforced)
    failures = sum(r.figures.failures for r in runs)
    pairs = len(_pair_ratios(runs))
    return (
        Target(
            "enforce keeps >= 80% of the mix's documents/s",
            kept,
            MIN_KEPT,
            kept >= MIN_KEPT,
            f"median over {pairs} off/enforce pair(s)",
        ),
        Target(
            "every signed document accepted under enforce",
            sum(refused.values()),
            0,
            not refused and accepted > 0,
            f"{accepted:,} accepted; refused: {_codes(refused)}",
        ),
        Target("no failed request under either policy", failures, 0, failures == 0, "all runs"),
    )


def _codes(counted: Mapping[str, int]) -> str:
    return ", ".join(f"{code} x{n}" for code, n in sorted(counted.items())) or "none"


def warnings(runs: Sequence[PolicyRun]) -> tuple[str, ...]:
    found = []
    for run in runs:
        label = f"{run.policy} {run.run}"
        if run.counter("senders_out_of_documents"):
            found.append(f"{label}: senders ran out of pre-signed documents: raise --signed-pool")
        if run.counter("documents_returned"):
            found.append(f"{label}: receivers returned {run.counter('documents_returned')} (02)")
        if (run.figures.locust_cpu or 0.0) > LOCUST_BUSY:
            found.append(f"{label}: Locust used {run.figures.locust_cpu:.0%} of its core")
    return (*found, *_contention(runs))


def _contention(runs: Sequence[PolicyRun]) -> tuple[str, ...]:
    stalls = [r.cpu_stall for r in runs if r.cpu_stall is not None and r.cpu_stall > CONTENDED]
    if not stalls:
        return ()
    return (
        f"the cores were contended in {len(stalls)} of {len(runs)} runs (some task waited for a "
        f"core {min(stalls):.0%}-{max(stalls):.0%} of the time: other work on the machine, or "
        "the database server): trust the pairs' median and the CPU per document more than "
        "single runs",
    )


def signature_report(
    *,
    backend: str,
    database: str,
    machine: dict[str, Any],
    settings: dict[str, Any],
    runs: Sequence[PolicyRun],
) -> SignatureReport:
    off, enforce = _median(runs, "off"), _median(runs, "enforce")
    pairs = _pair_ratios(runs)
    kept = statistics.median(pairs) if pairs else 0.0
    costs = {policy: _median_cost(runs, policy) for policy in POLICIES}
    off_cost, enforce_cost = costs["off"], costs["enforce"]
    return SignatureReport(
        backend=backend,
        database=database,
        machine=machine,
        settings=settings,
        runs=tuple(runs),
        off=off,
        enforce=enforce,
        docs_ratio=_ratio(enforce.figures.documents_per_s, off.figures.documents_per_s),
        kept=kept,
        rps_ratio=_ratio(enforce.figures.rps, off.figures.rps),
        pair_ratios=_pair_ratios(runs),
        hub_ms_per_document=costs,
        cpu_ratio=_ratio(off_cost, enforce_cost) if off_cost and enforce_cost else None,
        targets=signature_targets(runs, kept),
        warnings=warnings(runs),
    )
