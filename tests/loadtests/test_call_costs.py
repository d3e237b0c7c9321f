"""CPU per call: the generator's meter follows greenlets, and the bench's arithmetic pairs
the hub's counters with the generator's names."""

from __future__ import annotations

import time

import greenlet  # type: ignore[import-untyped]

from loadtests.bench.call_costs import generator_costs, hub_delta, hub_label, parse_hub_calls
from loadtests.call_cpu import CallCpu

METRICS = """\
# HELP eoffice_call_cpu_seconds_total Hub CPU seconds spent on requests, per call
# TYPE eoffice_call_cpu_seconds_total counter
eoffice_call_cpu_seconds_total{call="getEdoc"} 0.5
eoffice_call_cpu_seconds_total{call="sendEdoc status"} 1.5
# HELP eoffice_call_cpu_requests_total Requests whose CPU was measured, per call
# TYPE eoffice_call_cpu_requests_total counter
eoffice_call_cpu_requests_total{call="getEdoc"} 1000.0
eoffice_call_cpu_requests_total{call="sendEdoc status"} 1000.0
# HELP eoffice_requests_total HTTP requests
# TYPE eoffice_requests_total counter
eoffice_requests_total{path="/getEdoc",status="200"} 1000.0
"""


def _burn(seconds: float) -> None:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_a_call_is_charged_only_what_its_own_greenlet_spent() -> None:
    meter = CallCpu()
    try:

        def busy() -> None:
            _burn(0.05)
            other.switch()  # while the other greenlet runs, this call does not pay
            meter.settle("busy call")

        def idle() -> None:
            _burn(0.02)
            meter.settle("idle call")
            first.switch()

        first, other = greenlet.greenlet(busy), greenlet.greenlet(idle)
        first.switch()
    finally:
        greenlet.settrace(None)
    busy_seconds, busy_calls = meter.calls["busy call"]
    idle_seconds, idle_calls = meter.calls["idle call"]
    assert (busy_calls, idle_calls) == (1, 1)
    assert 0.05 <= busy_seconds < 0.068  # not the 0.02 s the other greenlet ran
    assert 0.02 <= idle_seconds < 0.045  # nor the 0.05 s the first one ran


def test_the_hubs_counters_are_read_per_call_and_differenced() -> None:
    after = parse_hub_calls(METRICS)
    assert after == {"getEdoc": (0.5, 1000.0), "sendEdoc status": (1.5, 1000.0)}
    before = {"getEdoc": (0.25, 500.0), "sendEdoc status": (1.5, 1000.0)}
    assert hub_delta(before, after) == {"getEdoc": (0.25, 500.0)}  # sendEdoc did not move


def test_locust_names_meet_the_hubs_labels() -> None:
    assert hub_label("getEdoc edoc") == hub_label("getEdoc status") == "getEdoc"
    assert hub_label("sendEdoc status") == "sendEdoc status"
    assert hub_label("noop") == "noop"
    costs = generator_costs(
        parse_hub_calls(METRICS), {"getEdoc edoc": (0.2, 100.0), "updateStatus": (0.1, 100.0)}
    )
    assert costs["getEdoc edoc"].hub_us == 500.0
    assert costs["getEdoc edoc"].generator_us == 2000.0
    assert costs["updateStatus"].hub_us is None  # the hub did not report it
