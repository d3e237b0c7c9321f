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

The writer is the audit chain's one appender, so it also keeps the chain's anchors (an
`AnchorLog`, told the head as each batch lands: a comparison per batch, a file append per many)
and the tally of repeated entries (`record_coalesced`: a flood of one refusal costs a counter).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from exchange.db.anchors import AnchorLog
from exchange.db.engine import is_sqlite
from exchange.db.repeats import RepeatTally
from exchange.db.repos.audit import AuditRepository
from exchange.db.repos.nonces import NonceClaim
from exchange.db.store import Store
from exchange.domain.audit import AuditEntry
from exchange.domain.errors import AuthReplayed

__all__ = ["BatchWriter", "InlineBatchWriter", "Writer", "make_writer", "run_once"]

T = TypeVar("T")
Clock = Callable[[], datetime]
Head = tuple[int, str]  # the audit chain's last (seq, hash)
_log = logging.getLogger("exchange.audit")


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
) -> tuple[list[Any], Head | None]:
    """Run the jobs in one transaction; returns per job a result or the exception it raised,
    and the audit chain's new head (None: the batch added no record). With `purge`, nonces
    past their expiry are deleted after the batch."""
    try:
        landed = _attempt(connection, jobs, now, isolate=False)
    except _UnitRaised:
        landed = _attempt(connection, jobs, now, isolate=True)
    if purge:
        _purge_nonces(connection, now)
    return landed


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
) -> tuple[list[Any], Head | None]:
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
        head = finish.audit_log.append(entries)
    return outcomes, head


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
        (outcome,), _ = _run_batch(connection, [_Job(work)], clock())
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome  # type: ignore[no-any-return]


def _recording(entries: Sequence[AuditEntry]) -> Callable[[Store], None]:
    """A unit that only adds audit entries (the same ones however often it runs)."""

    def unit(store: Store) -> None:
        store.audit.extend(entries)

    return unit


def _read_head(connection: Connection) -> Head | None:
    try:
        with connection.begin():
            return AuditRepository(connection).head()
    except SQLAlchemyError as error:
        _log.warning("audit chain head not read: %s", error)
        return None


class _AuditSide:
    """What both writers keep beside their batches: the chain's anchors, the tally of
    repeated entries and the timer that records a tally when its window closes."""

    def __init__(self, clock: Clock, anchors: AnchorLog | None, repeat_window: timedelta) -> None:
        self._clock = clock
        self._anchors = anchors
        self._tally = RepeatTally(repeat_window)
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, work: Callable[[Store], T], claim: NonceClaim | None = None) -> T:
        raise NotImplementedError

    async def record_coalesced(self, key: Hashable, entry: AuditEntry) -> None:
        """One audit entry, unless an identical one (same `key`) was recorded within the
        window: then it is counted, and recorded with the others as one when the window
        closes."""
        entries = self._tally.admit(key, entry)
        if entries:
            await self.run(_recording(entries))
        self._arm()

    def _arm(self) -> None:
        closes = self._tally.next_close()
        if self._timer is not None or closes is None:
            return
        delay = max((closes - self._clock()).total_seconds(), 0.01)
        self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        entries = self._tally.due(self._clock())
        if entries:
            task = asyncio.get_running_loop().create_task(self._record(entries))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._arm()

    async def _record(self, entries: Sequence[AuditEntry]) -> None:
        try:
            await self.run(_recording(entries))
        except Exception as error:  # the database is down: the counts are lost, say so
            _log.warning("%d tallied audit entries not recorded: %s", len(entries), error)

    def _landed(self, head: Head | None) -> None:
        if head is not None and self._anchors is not None:
            self._anchors.landed(*head)

    def _open_anchors(self, connection: Connection) -> None:
        if self._anchors is not None:
            self._anchors.open(_read_head(connection) or (0, ""))

    def _finish(self, connection: Connection) -> None:
        """At stop: the open tallies recorded, the final head anchored."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        entries = self._tally.drain()
        if entries:
            try:
                _run_batch(connection, [_Job(_recording(entries))], self._clock())
            except SQLAlchemyError as error:
                _log.warning("%d tallied audit entries not recorded: %s", len(entries), error)
        if self._anchors is not None:
            self._anchors.close(_read_head(connection))


class BatchWriter(_AuditSide):
    """Writer threads for a database across the network (PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = 256,
        clock: Clock = _utcnow,
        count: int = 4,
        anchors: AnchorLog | None = None,
        repeat_window: timedelta = timedelta(seconds=60),
    ) -> None:
        super().__init__(clock, anchors, repeat_window)
        self._engine = engine
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._loop, name=f"batch-writer-{n}", daemon=True)
            for n in range(count)
        ]
        self._purge = _PurgeClock()
        self.batches = 0
        self.units = 0

    def start(self) -> None:
        with self._engine.connect() as connection:
            self._open_anchors(connection)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        with self._engine.connect() as connection:
            self._finish(connection)

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
        head = None
        try:
            now = self._clock()
            outcomes, head = _run_batch(connection, jobs, now, purge=self._purge.due(now))
        except Exception as error:  # the commit itself failed: nobody's work landed
            outcomes = [error] * len(jobs)
        self.batches += 1
        self.units += len(jobs)
        self._landed(head)
        for job, outcome in zip(jobs, outcomes, strict=True):
            assert job.future is not None
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(outcome)


class InlineBatchWriter(_AuditSide):
    """Batches run on the event loop, one per loop iteration (SQLite)."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = 256,
        clock: Clock = _utcnow,
        anchors: AnchorLog | None = None,
        repeat_window: timedelta = timedelta(seconds=60),
    ) -> None:
        super().__init__(clock, anchors, repeat_window)
        self._engine = engine
        self._max_batch = max_batch
        self._pending: list[tuple[_Job, asyncio.Future[Any]]] = []
        self._connection: Connection | None = None
        self._purge = _PurgeClock()
        self.batches = 0
        self.units = 0

    def start(self) -> None:
        self._connection = self._engine.connect()
        self._open_anchors(self._connection)

    def stop(self) -> None:
        if self._connection is not None:
            self._finish(self._connection)
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
        head = None
        try:
            now = self._clock()
            outcomes, head = _run_batch(self._connection, jobs, now, purge=self._purge.due(now))
        except Exception as error:  # the commit itself failed: nobody's work landed
            outcomes = [error] * len(jobs)
        self.batches += 1
        self.units += len(jobs)
        self._landed(head)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.cancelled():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


Writer = BatchWriter | InlineBatchWriter


def make_writer(
    engine: Engine,
    *,
    max_batch: int = 256,
    clock: Clock = _utcnow,
    anchors: AnchorLog | None = None,
    repeat_window: timedelta = timedelta(seconds=60),
) -> Writer:
    """The writer for the engine's database; with `anchors`, it anchors the audit chain."""
    options: dict[str, Any] = {"anchors": anchors, "repeat_window": repeat_window}
    if is_sqlite(engine):
        return InlineBatchWriter(engine, max_batch=max_batch, clock=clock, **options)
    return BatchWriter(engine, max_batch=max_batch, clock=clock, **options)
