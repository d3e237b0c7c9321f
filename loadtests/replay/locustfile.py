"""The replay as a Locust file: one `Replayer` user per Locust process plays its share of the
schedule (`partition` by system) with its connectors, and sends what it measured every second
to the master, which keeps it as `<out>/part-<partition>.json` (the parent merges the parts
and decides when the run is over). A process running alone is its own master.

At the test's start the master numbers the workers connected then (`shares`), reads the
credentials file and fixes wall 0; Locust ships those options to every worker with its users,
so a worker needs nothing but the master's address: no shared disk, no credentials file.
`OnePerWorker` gives each of those workers one user.

Run by `eoffice loadtest`; by hand: `locust -f loadtests/replay/locustfile.py --headless
--replay-params '<json>' --replay-credentials FILE --replay-out DIR` (plus `--master
--expect-workers N` here and `--worker --master-host H` on each worker machine).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]
from locust import FastHttpUser, LoadTestShape, events, task
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from loadtests import call_cpu
from loadtests.bench.receiver_check import public_trust
from loadtests.link import add_link_arguments, link_from
from loadtests.profiles import load_profile
from loadtests.replay.connector import KINDS, Connector
from loadtests.replay.context import Context
from loadtests.replay.driver import Driver
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.replay.presigned import SignedBodies
from loadtests.replay.recorder import Recorder
from loadtests.replay.shares import LOCAL, Share, assign, share_of, write_part
from loadtests.roster import roster_from_json
from loadtests.schedule import worker_of
from signing import TrustStore

__all__ = ["OnePerWorker", "Replayer"]

SAVE_SECONDS = 1.0
MAX_IN_FLIGHT = 2000
MIN_IDLE_POLL = 0.25
LEAD_SECONDS = 3.0  # from the start to wall 0: the users reach the workers, schedules are made
PART = "replay_part"  # the message a worker sends its measurements in


def _arguments(parser: Any) -> None:
    group = parser.add_argument_group("schedule replay")
    group.add_argument("--replay-params", default="", help="ReplayParams as JSON")
    group.add_argument("--replay-credentials", default="", help="credentials JSON of the hub")
    group.add_argument("--replay-start", type=float, default=0.0, help="epoch of wall 0")
    group.add_argument("--replay-out", default=".", help="folder for the part files")
    group.add_argument("--replay-signed", default="", help="send the signed bodies in DIR")
    group.add_argument("--replay-trust", default="", help="verify against the PKI's public DIR")
    add_link_arguments(group, "--replay-")
    for name in ("--replay-assignment", "--replay-roster"):  # set by the master at the start
        parser.add_argument(name, default="", help=argparse.SUPPRESS, include_in_web_ui=False)


class OnePerWorker(LoadTestShape):
    """As many users as workers connected at the start (one alone), never changed: the
    dispatcher then gives each of them one `Replayer`."""

    users = 0

    def tick(self) -> tuple[int, float]:
        if not self.users:
            runner = self.runner
            self.users = runner.worker_count if isinstance(runner, MasterRunner) else 1
        return self.users, float(self.users)


class Replayer(FastHttpUser):
    concurrency = 256  # connections of the shared session (greenlets share it)
    network_timeout = 120.0
    connection_timeout = 10.0

    def wait_time(self) -> float:
        return 3600.0

    @task
    def replay(self) -> None:
        share = _share(self.environment)
        if share is None or _RUNNING:
            return  # no share (joined late), or this process plays its share already
        options = self.environment.parsed_options
        assert options is not None
        params = ReplayParams.from_json(json.loads(options.replay_params))
        recorder = Recorder(started=options.replay_start or time.time())
        recorder.gauges.update(partitions=share.partitions, exhausted=0.0)
        context = Context(
            params=params,
            profile=load_profile(params.profile),
            roster=roster_from_json(json.loads(options.replay_roster)),
            recorder=recorder,
            http=self.client,
            pool=gevent.pool.Pool(MAX_IN_FLIGHT),
            signed=SignedBodies(Path(options.replay_signed)) if options.replay_signed else None,
            trust=_trust(options.replay_trust),
            link=link_from(options, "replay_"),
        )
        driver = Driver(context)
        _RUNNING.append(_Playing(self.environment, share, context, driver))
        saver = gevent.spawn(_send_forever, _RUNNING[0])
        self._connectors(context, driver, share)
        driver.run(replay_events(params, share.partition, share.partitions))
        recorder.gauges["exhausted"] = 1.0
        _RUNNING[0].send()
        saver.join()

    def _connectors(self, context: Context, driver: Driver, share: Share) -> None:
        interval = context.profile.polling_interval / context.params.office
        idle = max(MIN_IDLE_POLL, min(interval, 2.0))
        for system in context.roster.systems:
            if worker_of(system.system_id, share.partitions) == share.partition:
                connector = Connector(context, driver, system.system_id, idle)
                for kind in KINDS:
                    gevent.spawn(connector.run, kind)


def _node(environment: Environment) -> str:
    runner = environment.runner
    return runner.client_id if isinstance(runner, WorkerRunner) else LOCAL


def _share(environment: Environment) -> Share | None:
    options = environment.parsed_options
    assert options is not None
    return share_of(options.replay_assignment, _node(environment))


def _trust(public: str) -> TrustStore | None:
    return public_trust(Path(public)) if public else None


@dataclass(frozen=True, slots=True)
class _Playing:
    """The share this process plays, and how its measurements reach the master."""

    environment: Environment
    share: Share
    context: Context
    driver: Driver

    def send(self) -> None:
        recorder = self.context.recorder
        recorder.gauges.update(
            events=self.driver.events,
            held=self.context.chains.held,
            in_flight=len(self.context.pool),
            saved=time.time(),
        )
        worker = {"partition": self.share.partition, "node": _node(self.environment)}
        text = json.dumps({**recorder.to_json(), "worker": worker})
        runner = self.environment.runner
        assert runner is not None
        runner.send_message(PART, {"partition": self.share.partition, "text": text})


_RUNNING: list[_Playing] = []


def _send_forever(playing: _Playing) -> None:
    while True:
        playing.send()
        gevent.sleep(SAVE_SECONDS)


def _start(environment: Environment, **_kwargs: Any) -> None:
    """On the master (or a lone process), as the users are about to be sent: the shares, the
    credentials' content and wall 0, in the options Locust ships to the workers."""
    runner, options = environment.runner, environment.parsed_options
    if isinstance(runner, WorkerRunner) or options is None:
        return
    if isinstance(runner, MasterRunner):
        connected = runner.clients.ready + runner.clients.running + runner.clients.spawning
        nodes = sorted((c.id for c in connected), key=runner.get_worker_index)
    else:
        nodes = [LOCAL]
    options.replay_assignment = assign(nodes)
    options.replay_roster = Path(options.replay_credentials).read_text(encoding="utf-8")
    if not options.replay_start:
        options.replay_start = time.time() + LEAD_SECONDS


def _keep_part(environment: Environment, msg: Any, **_kwargs: Any) -> None:
    """A worker's measurements, kept where the parent reads them (a worker outside the
    assignment, say one restarted under a new id, is ignored)."""
    options = environment.parsed_options
    assert options is not None
    share = share_of(options.replay_assignment, msg.node_id)
    if share is not None and share.partition == msg.data["partition"]:
        write_part(Path(options.replay_out), share.partition, msg.data["text"])


def _register(environment: Environment, **_kwargs: Any) -> None:
    runner = environment.runner
    if runner is not None and not isinstance(runner, WorkerRunner):
        runner.register_message(PART, _keep_part)


def _final(environment: Environment, **_kwargs: Any) -> None:
    """The last measurements as the users stop (on a worker: while the master still listens)."""
    for playing in _RUNNING:
        playing.send()


_LISTENERS: tuple[tuple[Any, Any], ...] = (
    (events.init_command_line_parser, _arguments),
    (events.init, _register),
    (events.test_start, _start),
    (events.test_stop, _final),
)
for _hook, _listener in _LISTENERS:
    _hook.add_listener(_listener)
call_cpu.listen()  # --call-cpu FILE: the generator's CPU per call
