"""One capacity step: a hub, one `eoffice loadtest` cut after warm-up + step seconds, and its
figures from the parts Locust saved.

The hub: by default a fresh one per step, serving a copy of a database seeded once (seeding
takes far longer than a step's start); on `--database-url` one database for every step; on
`--host` the caller's hub. A hub that keeps the earlier steps' documents gets a later week
each step, so no document id comes twice. The replay runs in this process
(`loadtests.replay.run.main`, its output in the step's loadtest.log); `--duration` ends it
at the cut, and a thread reads the parts once the warm-up is over.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from loadtests.capacity.ladder import Limits, Plan, Step, judge
from loadtests.capacity.measure import measure
from loadtests.capacity.peak import ProfileDays
from loadtests.hub_process import HubServer, free_port
from loadtests.machine import Cores
from loadtests.replay.hub import seed_profile
from loadtests.replay.merge import Merged, merge, read_parts
from loadtests.replay.params import ReplayParams
from loadtests.replay.run import main as loadtest
from loadtests.replay.scale import wall_seconds

__all__ = ["INTERRUPTED", "Hubs", "Warmup", "run_step"]

INTERRUPTED = "interrupted"  # the failure of a step Ctrl-C stopped
POLL_SECONDS = 0.25


class Hubs:
    """Where each step's hub comes from (see the module's docstring)."""

    def __init__(
        self,
        host: str | None,
        credentials: Path | None,
        url: str | None,
        cores: Cores,
        workers: int,
    ) -> None:
        self.host, self.credentials, self.url = host, credentials, url
        self.cores, self.workers = cores, workers
        self.data: Path | None = None
        self.template: Path | None = None

    @property
    def shared(self) -> bool:
        """The steps share one database: each needs documents of its own."""
        return self.host is not None or self.url is not None

    def prepare(self, days: ProfileDays, folder: Path) -> None:
        """Seed once: the shared database, or the template every step copies."""
        if self.host is not None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        url = self.url or f"sqlite:///{(folder / 'hub.db').resolve()}"
        self.template, self.data = folder / "hub.db", (folder / "data").resolve()
        self.credentials = seed_profile(days.profile, url, self.data, folder / "credentials.json")

    @contextmanager
    def step(self, folder: Path) -> Iterator[tuple[str, Path]]:
        """(hub URL, credentials) for one step; the hub stops (its copy deleted) after it."""
        assert self.credentials is not None, "prepare() first"
        if self.host is not None:
            yield self.host, self.credentials
            return
        assert self.template is not None and self.data is not None
        url = self.url or _copy_database(self.template, folder / "hub.db")
        server = HubServer(url, self.data, free_port(), self.workers, log=folder / "hub.log")
        try:
            server.start(self.cores.hub)
            yield server.url, self.credentials
        finally:
            server.stop()
            if self.url is None:
                for path in folder.glob("hub.db*"):
                    path.unlink()


def _copy_database(source: Path, target: Path) -> str:
    for path in source.parent.glob(f"{source.name}*"):  # -wal and -shm too, if any
        shutil.copyfile(path, target.with_name(target.name + path.name[len(source.name) :]))
    return f"sqlite:///{target.resolve()}"


class Warmup(threading.Thread):
    """Reads the replay's parts once every process saved them after the warm-up."""

    def __init__(self, parts: Path, seconds: float, processes: int) -> None:
        super().__init__(name="capacity-warmup", daemon=True)
        self.parts, self.seconds, self.processes = parts, seconds, processes
        self.reading: Merged | None = None
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(POLL_SECONDS):
            parts = read_parts(self.parts)
            saved = [p["gauges"].get("saved", 0.0) - p["started"] for p in parts]
            if parts and len(parts) >= self.processes and min(saved) >= self.seconds:
                self.reading = merge(parts)
                return

    def stop(self) -> None:
        self._done.set()
        self.join()


def _loadtest(argv: list[str], log: Path) -> tuple[int, str]:
    """`eoffice loadtest` here, its output to `log`: (exit code, message of a SystemExit)."""
    with log.open("w", encoding="utf-8") as out, redirect_stdout(out), redirect_stderr(out):
        try:
            return loadtest(argv), ""
        except SystemExit as stop:
            code = stop.code
            return (code, "") if isinstance(code, int) else (1, str(code))


def _argv(params: ReplayParams, plan: Plan, cut: float, folder: Path) -> list[str]:
    return [
        *("--profile", params.profile, "--seed", params.seed),
        *("--compress", repr(params.office), "--ratio", repr(plan.ratio)),
        *("--start", str(params.start), "--end", str(params.end)),
        *("--processes", str(plan.processes), "--report", str(folder)),
        *("--duration", repr(cut)),
        *plan.link.arguments(),
    ]


def run_step(number: int, compression: float, days: ProfileDays, hubs: Hubs, plan: Plan) -> Step:
    """Run one step (a `Step` failed with `INTERRUPTED` when Ctrl-C stopped it)."""
    folder = plan.root / f"step-{number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    first, last = days.replay_window(plan.first_week + (number - 1 if hubs.shared else 0))
    params = ReplayParams(
        profile=plan.profile,
        seed=plan.seed,
        documents=None,
        office=compression,
        off_hours=compression * plan.ratio,
        start=first.isoformat(),
        end=last.isoformat(),
    )
    wall = wall_seconds(days.profile, params)
    cut = min(wall, plan.warmup + plan.seconds)
    argv = _argv(params, plan, cut, folder)
    warm = Warmup(folder / "parts", plan.warmup, plan.processes)
    try:
        with hubs.step(folder) as (url, credentials):
            warm.start()
            try:
                argv += ["--host", url, "--credentials", str(credentials)]
                code, message = _loadtest(argv, folder / "loadtest.log")
            finally:
                warm.stop()
    except RuntimeError as error:  # the hub did not start
        return Step(number, compression, folder, None, (str(error).splitlines()[0],))
    return _result(number, compression, folder, warm.reading, cut, plan.limits, code, message)


def _result(
    number: int,
    compression: float,
    folder: Path,
    warm: Merged | None,
    cut: float,
    limits: Limits,
    code: int,
    message: str,
) -> Step:
    failure = _failure(code, message, warm, folder)
    if failure or warm is None:
        return Step(number, compression, folder, None, (failure,))
    figures = measure(warm, merge(read_parts(folder / "parts")), cut)
    return Step(number, compression, folder, figures, judge(figures, limits))


def _failure(code: int, message: str, warm: Merged | None, folder: Path) -> str:
    log = folder / "loadtest.log"
    if code == 130:
        return INTERRUPTED
    if code != 0:
        return f"eoffice loadtest exited {code}: {message or 'see ' + str(log)}"
    if warm is None:
        return f"the replay ended before its warm-up did (see {log})"
    return ""
