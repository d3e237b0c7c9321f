"""From what Locust reports to the verdicts: the CSV, the targets, the CPU shares. Pure."""

from __future__ import annotations

import pytest

from loadtests.bench.cpu import CpuSampler
from loadtests.bench.phases import LOCUSTFILES, Phase, PhaseResult
from loadtests.bench.report import PhaseFigures, figures, targets
from loadtests.locust_stats import CallStats, RunStats, parse_stats

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _row(kind: str, name: str, count: int, rps: float, p50: str, p99: str) -> str:
    """A stats row as Locust writes it; only the columns read here vary."""
    middle = ["79", "85.6", "21.6", "208.6", "12721.7", str(rps), "0.0", p50]
    percentiles = ["88", "93", "98", "120", "170", "190", p99, "210", "210", "210"]
    return ",".join([kind, name, str(count), "2", *middle, *percentiles])


ROWS = [
    _row("GET", "getEdoc edoc", 715, 79.2, "79", "190"),
    _row("POST", "updateStatus", 0, 0.0, "N/A", "N/A"),
    _row("", "Aggregated", 715, 79.2, "79", "190"),
]


def test_per_call_and_aggregated_rows() -> None:
    stats = parse_stats([HEADER, *ROWS])
    assert stats.total == CallStats("Aggregated", "", 715, 2, 79.2, 79.0, 190.0)
    assert stats.calls[1].requests == 0
    assert [c.name for c in stats.calls] == ["getEdoc edoc", "updateStatus"]
    idle = stats.call("updateStatus")
    assert idle is not None and (idle.p50, idle.p99) == (None, None)


def test_stats_without_an_aggregated_row_are_refused() -> None:
    with pytest.raises(ValueError, match="Aggregated"):
        parse_stats([HEADER, ROWS[0]])


def _figures(rps: float, p99: dict[str, float | None], documents: float = 0.0) -> PhaseFigures:
    calls = tuple(CallStats(name, "GET", 100, 0, rps, 1.0, value) for name, value in p99.items())
    total = CallStats("Aggregated", "", 100 * len(calls), 0, rps, 1.0, None)
    counters = {"started": 10.0, "stopped": 20.0, "documents_sent": documents}
    result = PhaseResult(
        Phase("x", LOCUSTFILES["mix"], 1, 10), RunStats(total, calls), counters, None, None
    )
    return figures(result)


def test_documents_per_second_and_requests_per_document() -> None:
    peak = _figures(300.0, {"a": 5.0}, documents=50.0)
    assert peak.documents_per_s == 5.0
    assert peak.requests_per_document == 2.0


@pytest.mark.parametrize(
    ("mix_rps", "worst_p99", "verdicts"),
    [(500.0, 99.0, (True, True)), (499.0, 100.0, (False, False)), (800.0, None, (True, True))],
)
def test_targets(mix_rps: float, worst_p99: float | None, verdicts: tuple[bool, ...]) -> None:
    ceiling = _figures(1000.0, {"noop": 2.0})
    peak = _figures(mix_rps, {"a": 5.0})
    paced = _figures(mix_rps * 0.7, {"a": 3.0, "b": worst_p99})
    assert tuple(t.passed for t in targets(ceiling, peak, paced)) == verdicts


def test_no_latency_at_70_percent_is_no_pass() -> None:
    ceiling, peak = _figures(1000.0, {"noop": 2.0}), _figures(600.0, {"a": 5.0})
    paced = _figures(420.0, {"a": None})
    assert [t.passed for t in targets(ceiling, peak, paced)] == [True, False]


def test_cpu_share_over_a_window() -> None:
    readings = iter([0.0, 0.5, 1.0, 1.5, 2.0])
    sampler = CpuSampler({"hub": lambda: next(readings, None)})
    sampler._samples["hub"] = [(100.0, 0.0), (101.0, 0.5), (102.0, 1.0), (103.0, 1.5)]
    assert sampler.share("hub", 101.0, 103.0) == pytest.approx(0.5)
    assert sampler.share("hub", 200.0, 300.0) is None
