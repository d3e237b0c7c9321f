"""The replay as a Locust file: one `Replayer` user per Locust process plays its share of the
schedule (`partition` by system) with its connectors, and saves what it measured every second
to `<out>/part-<worker>.json` (the parent merges the parts and decides when the run is over).

Run by `eoffice loadtest`; by hand: `locust -f loadtests/replay/locustfile.py --headless -u 1
--replay-params '<json>' --replay-credentials FILE --replay-start EPOCH --replay-out DIR`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]
from locust import FastHttpUser, events, task
from locust.env import Environment

from loadtests.profiles import load_profile
from loadtests.replay.connector import Connector
from loadtests.replay.context import Context, dump
from loadtests.replay.driver import Driver
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.replay.recorder import Recorder
from loadtests.roster import load_roster
from loadtests.schedule import worker_of

__all__ = ["Replayer"]

SAVE_SECONDS = 1.0
MAX_IN_FLIGHT = 2000
MIN_IDLE_POLL = 0.25


def _arguments(parser: Any) -> None:
    group = parser.add_argument_group("schedule replay")
    group.add_argument("--replay-params", default="", help="ReplayParams as JSON")
    group.add_argument("--replay-credentials", default="", help="credentials JSON of the hub")
    group.add_argument("--replay-start", type=float, default=0.0, help="epoch of wall 0")
    group.add_argument("--replay-workers", type=int, default=1, help="Locust processes")
    group.add_argument("--replay-out", default=".", help="folder for the part files")


class Replayer(FastHttpUser):
    concurrency = 256  # connections of the shared session (greenlets share it)
    network_timeout = 120.0
    connection_timeout = 10.0

    def wait_time(self) -> float:
        return 3600.0

    @task
    def replay(self) -> None:
        options = self.environment.parsed_options
        assert options is not None
        worker = max(0, getattr(self.environment.runner, "worker_index", 0))
        workers = max(1, options.replay_workers)
        params = ReplayParams.from_json(json.loads(options.replay_params))
        recorder = Recorder(started=options.replay_start or time.time())
        context = Context(
            params=params,
            profile=load_profile(params.profile),
            roster=load_roster(Path(options.replay_credentials)),
            recorder=recorder,
            http=self.client,
            pool=gevent.pool.Pool(MAX_IN_FLIGHT),
        )
        driver = Driver(context)
        _RUNNING.append((context, driver))
        out = Path(options.replay_out) / f"part-{worker}.json"
        saver = gevent.spawn(_save_forever, context, driver, out)
        self._connectors(context, driver, worker, workers)
        recorder.gauges["exhausted"] = 0.0
        driver.run(replay_events(params, worker, workers))
        recorder.gauges["exhausted"] = 1.0
        _save(context, driver, out)
        saver.join()

    def _connectors(self, context: Context, driver: Driver, worker: int, workers: int) -> None:
        interval = context.profile.polling_interval / context.params.office
        idle = max(MIN_IDLE_POLL, min(interval, 2.0))
        for system in context.roster.systems:
            if worker_of(system.system_id, workers) == worker:
                connector = Connector(context, driver, system.system_id, idle)
                gevent.spawn(connector.run)


_RUNNING: list[tuple[Context, Driver]] = []


def _save(context: Context, driver: Driver, out: Path) -> None:
    recorder = context.recorder
    recorder.gauges.update(
        events=driver.events,
        held=context.chains.held,
        in_flight=len(context.pool),
        saved=time.time(),
    )
    dump(out, recorder.to_json())


def _save_forever(context: Context, driver: Driver, out: Path) -> None:
    while True:
        _save(context, driver, out)
        gevent.sleep(SAVE_SECONDS)


def _final(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None:
        return
    worker = max(0, getattr(environment.runner, "worker_index", 0))
    for context, driver in _RUNNING:
        _save(context, driver, Path(options.replay_out) / f"part-{worker}.json")


_LISTENERS: tuple[tuple[Any, Any], ...] = (
    (events.init_command_line_parser, _arguments),
    (events.quitting, _final),
)
for _hook, _listener in _LISTENERS:
    _hook.add_listener(_listener)
