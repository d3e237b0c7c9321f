"""`eoffice compare REPORT_A REPORT_B`: what changed between two replays, as a table. The
parameters that differ, each machine's yardstick, the throughput and the latency per call,
B against A; and the throughput once each machine's yardstick is allowed for, so that a
slower machine is not read as a slower hub. Pure: two reports in, lines out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from loadtests.replay.yardstick import NOOP

__all__ = ["compare"]

FIGURES = ("documents_accepted", "documents_per_s", "requests_per_s", "error_rate")
ENDS = ("backlog_at_end", "statuses_held_at_end")


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [
        *_parameters(a, b),
        *_table("yardstick (this machine)", _yardstick(a, b)),
        *_table("throughput", _figures(a["summary"], b["summary"], FIGURES + ENDS)),
        *_table("latency from the intended time (ms)", _calls(a["calls"], b["calls"])),
        *_allowing(a, b),
    ]


def _parameters(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    pa, pb = a["params"], b["params"]
    differ = [f"  {k}: {pa.get(k)} -> {pb.get(k)}" for k in pa | pb if pa.get(k) != pb.get(k)]
    return ["parameters that differ (A -> B):", *(differ or ["  none: the same replay"])]


Row = tuple[str, float | None, float | None]


def _table(title: str, rows: list[Row]) -> list[str]:
    lines = [f"{title}:", f"  {'':44} {'A':>12} {'B':>12} {'B/A':>7}"]
    for name, va, vb in rows:
        lines.append(f"  {name:44} {_shown(va):>12} {_shown(vb):>12} {_ratio(va, vb):>7}")
    return lines


def _shown(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2f}"


def _ratio(va: float | None, vb: float | None) -> str:
    return f"{vb / va:.2f}" if va and vb is not None else "-"


def _yardstick(a: dict[str, Any], b: dict[str, Any]) -> list[Row]:
    ya, yb = _by_key(a), _by_key(b)
    names = {y.get("key", y["name"]): y["name"] for r in (a, b) for y in r.get("yardstick") or []}
    return [(names[key], ya.get(key), yb.get(key)) for key in dict.fromkeys([*ya, *yb])]


def _by_key(report: dict[str, Any]) -> dict[str, float]:
    return {y.get("key", y["name"]): float(y["value"]) for y in report.get("yardstick") or []}


def _figures(sa: dict[str, Any], sb: dict[str, Any], names: tuple[str, ...]) -> list[Row]:
    return [(name.replace("_", " "), sa.get(name), sb.get(name)) for name in names]


def _calls(ca: dict[str, Any], cb: dict[str, Any]) -> list[Row]:
    return list(_call_rows(ca, cb))


def _call_rows(ca: dict[str, Any], cb: dict[str, Any]) -> Iterator[Row]:
    for name in dict.fromkeys([*ca, *cb]):
        for key in ("p50_ms", "p99_ms"):
            yield f"{name} {key[:3]}", ca.get(name, {}).get(key), cb.get(name, {}).get(key)


def _allowing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Requests/s relative to each machine's no-op figure: what is left once the machine's
    speed is divided out."""
    na, nb = _by_key(a).get(NOOP), _by_key(b).get(NOOP)
    ra, rb = a["summary"]["requests_per_s"], b["summary"]["requests_per_s"]
    if not (na and nb and ra):
        return ["allowing for the machine: a report lacks the no-op yardstick"]
    machine, hub = nb / na, (rb / nb) / (ra / na)
    return [
        f"allowing for the machine: B's machine answers {machine:.2f}x A's no-op requests;",
        f"  B's requests/s per unit of its machine is {hub:.2f}x A's"
        + (" (a real change)" if abs(hub - 1) > 0.1 else " (within 10%: the same)"),
    ]
