"""The measured window of a Locust run: `--warmup` seconds first, then the statistics start
afresh (as Locust's own Reset Stats does), so ramp-up and a filling pipeline are not measured.
`--window-file` records when the window opened and closed (epoch seconds), for the CPU shares.

At `init` it brings gevent's clock up to date: the locustfile's import runs no loop iteration,
so Locust's `-t` timer, started right after, would count from before the import, and a run
would last `-t` minus the import time (nothing at all on a machine busy enough).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import events
from locust.env import Environment

__all__ = ["install"]


class _Window:
    def __init__(self) -> None:
        self.started = 0.0

    def arguments(self, parser: Any) -> None:
        group = parser.add_argument_group("measured window")
        group.add_argument("--warmup", type=float, default=0.0, help="seconds not measured")
        group.add_argument("--window-file", default="", help="write the window's times here")

    def clock(self, **_kwargs: Any) -> None:
        gevent.get_hub().loop.update_now()

    def start(self, environment: Environment, **_kwargs: Any) -> None:
        self.started = time.time()
        options = environment.parsed_options
        if options is not None and options.warmup > 0:
            gevent.spawn_later(options.warmup, self.reset, environment)

    def reset(self, environment: Environment) -> None:
        environment.stats.reset_all()
        self.started = time.time()
        environment.events.reset_stats.fire()  # type: ignore[no-untyped-call]

    def stop(self, environment: Environment, **_kwargs: Any) -> None:
        options = environment.parsed_options
        if options is not None and options.window_file:
            window = {"started": self.started, "stopped": time.time()}
            Path(options.window_file).write_text(json.dumps(window))


def install() -> None:
    """Register the window's arguments and listeners; a locustfile calls this once."""
    window = _Window()
    hooks: tuple[tuple[Any, Any], ...] = (
        (events.init_command_line_parser, window.arguments),
        (events.init, window.clock),
        (events.test_start, window.start),
        (events.test_stop, window.stop),
    )
    for hook, listener in hooks:
        hook.add_listener(listener)
