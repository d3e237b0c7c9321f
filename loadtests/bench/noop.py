"""The ceiling: GET /noop as fast as the hub answers (no auth, no database, no work).

`--transport sdk` sends `Connection: close` (a new connection per call, as the national SDK
does), so the ceiling is measured the way the mix then travels.

Run: `locust -f loadtests/bench/noop.py --headless -u 20 -r 20 -t 20s --host http://127.0.0.1:8000`.
"""

from __future__ import annotations

from typing import Any

from locust import FastHttpUser, constant, events, task

from loadtests import call_cpu
from loadtests.bench.window import install as install_window
from loadtests.link import DEFAULT_TRANSPORT, TRANSPORTS

__all__ = ["NoopUser"]

install_window()
call_cpu.listen()


def _arguments(parser: Any) -> None:
    parser.add_argument("--transport", choices=TRANSPORTS, default=DEFAULT_TRANSPORT)


_PARSER: Any = events.init_command_line_parser
_PARSER.add_listener(_arguments)


class NoopUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        options = self.environment.parsed_options
        sdk = options is not None and options.transport == "sdk"
        self.headers = {"Connection": "close"} if sdk else {}

    @task
    def noop(self) -> None:
        self.client.get("/noop", name="noop", headers=self.headers)
        call_cpu.settle("noop")
