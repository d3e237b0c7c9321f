"""CPU per call on the generator's side, measured from greenlet switches.

Locust runs every user in a greenlet of one thread. greenlet's switch trace tells when each
greenlet starts and stops running, so the thread's CPU time between two switches belongs to
the greenlet that ran. A call costs what its greenlet spent since its previous call ended:
building the request, signing it, sending, waiting's bookkeeping, reading the answer. The
process's CPU that no user greenlet spent (Locust's own loop, stats, the gevent hub) is what
`eoffice bench` prints as "shared".

`listen()` in a locustfile adds `--call-cpu FILE`: given it, the meter starts at `init`, starts
afresh when the statistics do (after the warm-up) and writes `{call: [seconds, calls]}` to FILE
when the test stops; `settle(name)` (from `loadtests.link`) closes a call.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import greenlet  # type: ignore[import-untyped]

__all__ = ["CallCpu", "listen", "settle"]


class CallCpu:
    """Thread CPU per greenlet (switch trace) and per call name."""

    def __init__(self) -> None:
        self._running_since = time.thread_time()
        self._spent: dict[int, float] = {}  # greenlet id -> CPU seconds so far
        self._marks: dict[int, float] = {}  # greenlet id -> its spent when its last call ended
        self.calls: dict[str, list[float]] = {}  # name -> [seconds, calls]
        greenlet.settrace(self._trace)

    def _trace(self, event: str, args: Any) -> None:
        if event in ("switch", "throw"):
            origin = args[0]
            now = time.thread_time()
            key = id(origin)
            self._spent[key] = self._spent.get(key, 0.0) + now - self._running_since
            self._running_since = now

    def settle(self, name: str) -> None:
        """The current greenlet's call `name` ended: file what it spent since the last one."""
        key = id(greenlet.getcurrent())
        now = time.thread_time()
        spent = self._spent.get(key, 0.0) + now - self._running_since
        self._spent[key] = spent
        self._running_since = now
        cost = spent - self._marks.get(key, 0.0)
        self._marks[key] = spent
        totals = self.calls.setdefault(name, [0.0, 0.0])
        totals[0] += cost
        totals[1] += 1

    def reset(self) -> None:
        self.calls = {}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.calls, indent=1, sort_keys=True))


_METER: CallCpu | None = None


def settle(name: str) -> None:
    if _METER is not None:
        _METER.settle(name)


def listen() -> None:
    """`--call-cpu FILE` for this locustfile."""
    from locust import events

    def arguments(parser: Any) -> None:
        parser.add_argument("--call-cpu", default="", help="write CPU seconds per call here")

    def start(environment: Any, **_kwargs: Any) -> None:
        global _METER
        if environment.parsed_options and environment.parsed_options.call_cpu:
            _METER = _METER or CallCpu()

    def reset(**_kwargs: Any) -> None:
        if _METER is not None:
            _METER.reset()

    def stop(environment: Any, **_kwargs: Any) -> None:
        if _METER is not None:
            _METER.write(Path(environment.parsed_options.call_cpu))

    hooks: tuple[tuple[Any, Any], ...] = (
        (events.init_command_line_parser, arguments),
        (events.init, start),
        (events.reset_stats, reset),
        (events.test_stop, stop),
    )
    for hook, listener in hooks:
        hook.add_listener(listener)
