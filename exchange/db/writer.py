"""Group commit: one writer thread runs many requests' work in one transaction.

A commit per request costs several times the request itself (../shared/limits.md). Requests
hand their unit of work to the writer and wait; the writer drains the queue, runs each unit in
its own SAVEPOINT (a refused unit leaves nothing behind; the API audits the refusal), chains
the audit entries of the units that succeeded, and commits the batch once. Callers see their
result only after the commit, so nothing acknowledged is lost.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from exchange.db.store import Store
from exchange.domain.audit import AuditEntry

__all__ = ["BatchWriter", "run_once"]

T = TypeVar("T")
Clock = Callable[[], datetime]


@dataclass(slots=True)
class _Job:
    work: Callable[[Store], Any]
    future: Future[Any] = field(default_factory=Future)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _run_batch(connection: Connection, jobs: list[_Job], now: datetime) -> list[Any]:
    """Run the jobs in one transaction; returns per job a result or the exception it raised."""
    outcomes: list[Any] = []
    entries: list[AuditEntry] = []
    with connection.begin():
        for job in jobs:
            store = Store(connection, now)
            outcomes.append(_run_unit(connection, job, store))
            if not isinstance(outcomes[-1], BaseException):
                entries.extend(store.audit)
        Store(connection, now).audit_log.append(entries)
    return outcomes


def _run_unit(connection: Connection, job: _Job, store: Store, retry: bool = True) -> Any:
    """One unit in its own SAVEPOINT. A unique-key conflict means another process committed
    the same thing meanwhile (PostgreSQL, several workers): the unit runs once more and
    now sees it (a duplicate send, answered 200)."""
    savepoint = connection.begin_nested()
    try:
        result = job.work(store)
        savepoint.commit()
        return result
    except IntegrityError as error:
        savepoint.rollback()
        store.audit.clear()
        return _run_unit(connection, job, store, retry=False) if retry else error
    except Exception as error:  # a refusal or a fault undoes this unit only
        savepoint.rollback()
        return error


def run_once(engine: Engine, work: Callable[[Store], T], clock: Clock = _utcnow) -> T:
    """One unit of work in its own transaction, for the CLI and tests."""
    job = _Job(work)
    with engine.connect() as connection:
        (outcome,) = _run_batch(connection, [job], clock())
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome  # type: ignore[no-any-return]


class BatchWriter:
    def __init__(self, engine: Engine, *, max_batch: int = 256, clock: Clock = _utcnow) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._clock = clock
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="batch-writer", daemon=True)
        self.batches = 0
        self.units = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    async def run(self, work: Callable[[Store], T]) -> T:
        job = _Job(work)
        self._queue.put(job)
        result: T = await asyncio.wrap_future(job.future)
        return result

    def _loop(self) -> None:
        with self._engine.connect() as connection:
            while (jobs := self._take()) is not None:
                self._execute(connection, jobs)

    def _take(self) -> list[_Job] | None:
        first = self._queue.get()
        if first is None:
            return None
        jobs = [first]
        while len(jobs) < self._max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._queue.put(None)
                break
            jobs.append(job)
        return jobs

    def _execute(self, connection: Connection, jobs: list[_Job]) -> None:
        try:
            outcomes = _run_batch(connection, jobs, self._clock())
        except Exception as error:  # the commit itself failed: nobody's work landed
            outcomes = [error] * len(jobs)
        self.batches += 1
        self.units += len(jobs)
        for job, outcome in zip(jobs, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(outcome)
