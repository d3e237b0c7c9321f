"""CPU per call: what each request cost the hub's process, measured, not sampled.

With EXCHANGE_CPU_ACCOUNTING=true the event loop's task factory wraps one task's coroutine in
every EXCHANGE_CPU_ACCOUNTING_EVERY (8) so that each step it runs adds its thread CPU time to
the task's `TaskMeter`; a unit of work
the task hands to the batch writer adds its own time there too (`timed`). When the task ends,
its total is filed under the call it served (`label`, set by the route), so `/metrics` shows
`eoffice_call_cpu_seconds_total` and `eoffice_call_cpu_requests_total` per call. What no
request owns (reading HTTP off the socket, a batch's commit and audit chaining, the collector)
is the process's CPU minus the sum of the calls: `eoffice bench` prints it as "shared".

Off by default. Reading a thread's CPU clock is a system call (~1 us on bare metal, ~6 us in
this VM), made twice per step of a metered task: sampling keeps that out of the figures the
benchmark compares; the counters say how many requests were metered.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Coroutine, Generator
from contextvars import ContextVar
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter

__all__ = ["CallCpu", "TaskMeter", "install", "label", "timed"]

T = TypeVar("T")
_METER: ContextVar[TaskMeter | None] = ContextVar("eoffice_task_meter", default=None)


class TaskMeter:
    """One task's CPU seconds so far, and the call it serves ("" until a route says)."""

    __slots__ = ("call", "seconds")

    def __init__(self) -> None:
        self.call = ""
        self.seconds = 0.0


class CallCpu:
    """The per-call counters, in the registry `/metrics` renders."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.seconds = Counter(
            "eoffice_call_cpu_seconds",
            "Hub CPU seconds spent on requests, per call",
            ["call"],
            registry=registry,
        )
        self.requests = Counter(
            "eoffice_call_cpu_requests",
            "Requests whose CPU was measured, per call",
            ["call"],
            registry=registry,
        )

    def file(self, meter: TaskMeter) -> None:
        if meter.call:
            self.seconds.labels(meter.call).inc(meter.seconds)
            self.requests.labels(meter.call).inc()


class _Metered(Coroutine[Any, Any, Any]):
    """A coroutine that times each step of the one it wraps (send, throw)."""

    __slots__ = ("_inner", "_meter", "_sink")

    def __init__(self, inner: Coroutine[Any, Any, Any], sink: CallCpu) -> None:
        self._inner = inner
        self._meter = TaskMeter()
        self._sink = sink

    def send(self, value: Any) -> Any:
        return self._step(self._inner.send, value)

    def throw(self, *error: Any) -> Any:
        return self._step(self._inner.throw, *error)

    def close(self) -> None:
        self._inner.close()

    def __await__(self) -> Generator[Any, None, Any]:
        return self._inner.__await__()

    def _step(self, step: Callable[..., Any], *args: Any) -> Any:
        _METER.set(self._meter)  # in the task's own context: the request's code sees it
        started = time.thread_time()
        try:
            result = step(*args)
        except BaseException:  # StopIteration included: the task is over
            self._meter.seconds += time.thread_time() - started
            self._sink.file(self._meter)
            raise
        self._meter.seconds += time.thread_time() - started
        return result


def install(loop: asyncio.AbstractEventLoop, sink: CallCpu, every: int = 1) -> None:
    """One task in `every` created on `loop` from now on is metered into `sink`."""
    created = itertools.count()

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **options: Any
    ) -> asyncio.Task[Any]:
        if next(created) % every:
            return asyncio.Task(coro, loop=loop, **options)
        return asyncio.Task(_Metered(coro, sink), loop=loop, **options)

    loop.set_task_factory(factory)  # type: ignore[arg-type]


def label(call: str) -> None:
    """The current request serves `call` (no effect when accounting is off)."""
    meter = _METER.get()
    if meter is not None:
        meter.call = call


def timed(work: Callable[[Any], T]) -> Callable[[Any], T]:
    """`work` as a writer unit whose CPU counts for the request that handed it over."""
    meter = _METER.get()
    if meter is None:
        return work

    def unit(store: Any) -> T:
        started = time.thread_time()
        try:
            return work(store)
        finally:
            meter.seconds += time.thread_time() - started

    return unit
