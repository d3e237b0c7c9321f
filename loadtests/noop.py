"""The ceiling: GET /noop as fast as the hub answers (no auth, no database, no work).

Run: `locust -f loadtests/noop.py --headless -u 20 -r 20 -t 20s --host http://127.0.0.1:8000`.
"""

from __future__ import annotations

from locust import FastHttpUser, constant, task

from loadtests.window import install as install_window

__all__ = ["NoopUser"]

install_window()


class NoopUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def noop(self) -> None:
        self.client.get("/noop", name="noop")
