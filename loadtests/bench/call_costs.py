"""What each call costs the hub and the generator in CPU: the two numbers a change moves. Pure.

The hub's side comes from its `/metrics` (EXCHANGE_CPU_ACCOUNTING=true), read before and
after a phase: `eoffice_call_cpu_seconds_total` and `eoffice_call_cpu_requests_total` per call
(the hub names sendEdoc by its messagetype, every other call by its name alone). The
generator's side comes from `loadtests.call_cpu`'s file, named as Locust names the calls
("getEdoc status"). Both are microseconds per request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

__all__ = [
    "CallCost",
    "HubCalls",
    "generator_costs",
    "hub_delta",
    "hub_label",
    "parse_hub_calls",
    "read_generator",
]

HubCalls = dict[str, tuple[float, float]]  # hub label -> (CPU seconds, requests)


@dataclass(frozen=True, slots=True)
class CallCost:
    hub_us: float | None  # per request, the hub's CPU
    generator_us: float | None  # per request, the generator's CPU


def parse_hub_calls(text: str) -> HubCalls:
    """The per-call counters of a /metrics page (empty without CPU accounting)."""
    seconds: dict[str, float] = {}
    requests: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            call = sample.labels.get("call")
            if call is None:
                continue
            if sample.name == "eoffice_call_cpu_seconds_total":
                seconds[call] = sample.value
            elif sample.name == "eoffice_call_cpu_requests_total":
                requests[call] = sample.value
    return {call: (seconds[call], requests.get(call, 0.0)) for call in seconds}


def hub_delta(before: HubCalls, after: HubCalls) -> HubCalls:
    """What the hub spent between two readings."""
    found = {}
    for call, (seconds, count) in after.items():
        was_seconds, was_count = before.get(call, (0.0, 0.0))
        if count > was_count:
            found[call] = (seconds - was_seconds, count - was_count)
    return found


def hub_label(locust_name: str) -> str:
    """The hub's name for a Locust call name: "sendEdoc status" stays, "getEdoc edoc" is
    "getEdoc" (the hub does not know what a fetched docId holds before it reads it)."""
    call, _, kind = locust_name.partition(" ")
    return f"{call} {kind}" if call == "sendEdoc" and kind else call


def read_generator(path: Path) -> dict[str, tuple[float, float]]:
    if not path.exists():
        return {}
    raw = json.loads(path.read_text())
    return {name: (float(pair[0]), float(pair[1])) for name, pair in raw.items()}


def generator_costs(
    hub: Mapping[str, tuple[float, float]],
    generator: Mapping[str, tuple[float, float]],
    names: Iterable[str] = (),
) -> dict[str, CallCost]:
    """Per Locust call name (those given, and those the generator metered), the hub's and
    the generator's microseconds per request (None: not measured)."""
    return {
        name: CallCost(_per_request(hub.get(hub_label(name))), _per_request(generator.get(name)))
        for name in dict.fromkeys([*names, *generator])
    }


def _per_request(pair: tuple[float, float] | None) -> float | None:
    if pair is None or pair[1] <= 0:
        return None
    return pair[0] / pair[1] * 1e6
