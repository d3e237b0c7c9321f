"""Group commit: writer threads run many requests' work in one transaction each.

A commit per request costs several times the request itself (../shared/limits.md). Requests
hand their unit of work (with the nonce their signature carries) to a writer and wait. A
writer drains the queue, claims the batch's nonces in one statement, runs the units, chains
the audit entries of the units that succeeded, and commits once. Callers see their result
only after the commit, so nothing acknowledged is lost.

SQLite allows one writer at a time and answers in microseconds: its batches run on the event
loop itself, at the end of the loop iteration in which the requests arrived (no thread, no
contention for the GIL). PostgreSQL answers over the network: several writer threads, each
with its own connection, keep the loop free while they wait.

Units run back to back; if one raises (a refusal or a fault), the batch is rolled back and run
again with each unit in its own SAVEPOINT, so a refused unit leaves nothing behind while its
batch mates land (the API audits the refusal).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from exchange.db.engine import is_sqlite
from exchange.db.repos.nonces import NonceClaim
from exchange.db.store import Store
from exchange.domain.audit import AuditEntry
from exchange.domain.errors import AuthReplayed

__all__ = ["BatchWriter", "InlineBatchWriter", "Writer", "make_writer", "run_once"]

T = TypeVar("T")
Clock = Callable[[], datetime]


@dataclass(slots=True)
class _Job:
    work: Callable[[Store], Any]
    claim: NonceClaim | None = None
    future: Future[Any] | None = None  # threaded writers only


class _UnitRaised(Exception):
    """A unit raised while units ran back to back: run the batch again, isolated."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _run_batch(
    connection: Connection, jobs: Sequence[_Job], now: datetime, *, purge: bool = False
) -> list[Any]:
    """Run the jobs in one transaction; returns per job a result or the exception it raised.
    With `purge`, nonces past their expiry are deleted in the same transaction."""
    try:
        outcomes = _attempt(connection, jobs, now, isolate=False)
    except _UnitRaised:
        outcomes = _attempt(connection, jobs, now, isolate=True)
    if purge:
        _purge_nonces(connection, now)
    return outcomes


def _purge_nonces(connection: Connection, now: datetime) -> None:
    """Housekeeping after the batch landed: a failure here must not fail the batch's units
    (the next purge retries)."""
    try:
        with connection.begin():
            Store(connection, now).nonces.purge(now)
    except SQLAlchemyError:
        return


class _PurgeClock:
    """Says when expired nonces are due to be deleted: once a minute per writer."""

    def __init__(self, every: timedelta = timedelta(minutes=1)) -> None:
        self._every = every
        self._next: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self._next is not None and now < self._next:
            return False
        self._next = now + self._every
        return True


def _attempt(
    connection: Connection, jobs: Sequence[_Job], now: datetime, *, isolate: bool
) -> list[Any]:
    outcomes: list[Any] = []
    entries: list[AuditEntry] = []
    with connection.begin():
        replayed = _claim_nonces(Store(connection, now), jobs)
        for index, job in enumerate(jobs):
            store = Store(connection, now)
            if index in replayed:
                outcomes.append(AuthReplayed("This X-Nonce was already used: a replay."))
            elif isolate:
                outcomes.append(_run_isolated(connection, job, store))
            else:
                outcomes.append(_run_bare(job, store))
            if not isinstance(outcomes[-1], BaseException):
                entries.extend(store.audit)
        finish = Store(connection, now)
        finish.nonces.release(_refused_claims(jobs, outcomes, replayed))
        finish.audit_log.append(entries)
    return outcomes


def _refused_claims(
    jobs: Sequence[_Job], outcomes: Sequence[Any], replayed: set[int]
) -> list[NonceClaim]:
    return [
        job.claim
        for index, (job, outcome) in enumerate(zip(jobs, outcomes, strict=True))
        if job.claim is not None and index not in replayed and isinstance(outcome, BaseException)
    ]


def _claim_nonces(store: Store, jobs: Sequence[_Job]) -> set[int]:
    """Indexes of the jobs whose nonce was used before (or earlier in this batch)."""
    claims = [job.claim for job in jobs if job.claim is not None]
    fresh = store.nonces.claim(claims)
    replayed = set()
    for index, job in enumerate(jobs):
        if job.claim is None:
            continue
        if job.claim.key in fresh:
            fresh.discard(job.claim.key)  # the first claimant wins
        else:
            replayed.add(index)
    return replayed


def _run_bare(job: _Job, store: Store) -> Any:
    try:
        return job.work(store)
    except Exception as error:
        raise _UnitRaised from error


def _run_isolated(connection: Connection, job: _Job, store: Store, retry: bool = True) -> Any:
    """One unit in its own SAVEPOINT. A unique-key conflict means another process committed
    the same thing meanwhile (PostgreSQL, several workers): the unit runs once more and now
    sees it (a duplicate send, answered 200)."""
    savepoint = connection.begin_nested()
    try:
        result = job.work(store)
        savepoint.commit()
        return result
    except IntegrityError as error:
        savepoint.rollback()
        store.audit.clear()
        return _run_isolated(connection, job, store, retry=False) if retry else error
    except Exception as error:  # a refusal or a fault undoes this unit only
        savepoint.rollback()
        store.audit.clear()
        return error


def run_once(engine: Engine, work: Callable[[Store], T], clock: Clock = _utcnow) -> T:
    """One unit of work in its own transaction, for the CLI and tests."""
    with engine.connect() as connection:
        (outcome,) = _run_batch(connection, [_Job(work)], clock())
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome  # type: ignore[no-any-return]


class BatchWriter:
    """Writer threads for a database across the network (PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = 256,
        clock: Clock = _utcnow,
        count: int = 4,
    ) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._clock = clock
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._loop, name=f"batch-writer-{n}", daemon=True)
            for n in range(count)
        ]
        self._purge = _PurgeClock()
        self.batches = 0
        self.units = 0

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)

    async def run(self, work: Callable[[Store], T], claim: NonceClaim | None = None) -> T:
        job = _Job(work, claim, Future())
        self._queue.put(job)
        result: T = await asyncio.wrap_future(job.future)  # type: ignore[arg-type]
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
            now = self._clock()
            outcomes = _run_batch(connection, jobs, now, purge=self._purge.due(now))
        except Exception as error:  # the commit itself failed: nobody's work landed
            outcomes = [error] * len(jobs)
        self.batches += 1
        self.units += len(jobs)
        for job, outcome in zip(jobs, outcomes, strict=True):
            assert job.future is not None
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(outcome)


class InlineBatchWriter:
    """Batches run on the event loop, one per loop iteration (SQLite)."""

    def __init__(self, engine: Engine, *, max_batch: int = 256, clock: Clock = _utcnow) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._clock = clock
        self._pending: list[tuple[_Job, asyncio.Future[Any]]] = []
        self._connection: Connection | None = None
        self._purge = _PurgeClock()
        self.batches = 0
        self.units = 0

    def start(self) -> None:
        self._connection = self._engine.connect()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def run(self, work: Callable[[Store], T], claim: NonceClaim | None = None) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append((_Job(work, claim), future))
        if len(self._pending) == 1:
            loop.call_soon(self._flush, loop)
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        batch = self._pending[: self._max_batch]
        self._pending = self._pending[self._max_batch :]
        if self._pending:
            loop.call_soon(self._flush, loop)
        assert self._connection is not None, "start() the writer first"
        jobs = [job for job, _ in batch]
        try:
            now = self._clock()
            outcomes = _run_batch(self._connection, jobs, now, purge=self._purge.due(now))
        except Exception as error:  # the commit itself failed: nobody's work landed
            outcomes = [error] * len(jobs)
        self.batches += 1
        self.units += len(jobs)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.cancelled():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


Writer = BatchWriter | InlineBatchWriter


def make_writer(engine: Engine, *, max_batch: int = 256, clock: Clock = _utcnow) -> Writer:
    if is_sqlite(engine):
        return InlineBatchWriter(engine, max_batch=max_batch, clock=clock)
    return BatchWriter(engine, max_batch=max_batch, clock=clock)
