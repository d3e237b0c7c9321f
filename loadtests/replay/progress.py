"""The Locust subprocess of a replay: started in its own session (Ctrl-C reaches only the
parent, which then stops it cleanly), watched through the part files its master keeps (one per
worker, wherever the workers run), with a progress bar."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadtests.replay.merge import Merged, merge, read_parts, workers_of

__all__ = ["LocustProcess", "bar", "quiet"]

BAR_WIDTH = 30


def quiet(merged: Merged) -> bool:
    """Every process played its schedule and nothing is left: no request in flight, no status
    held, every delivery acknowledged."""
    if not merged.exhausted:
        return False
    left = merged.total("deliveries") - merged.total("acked")
    return left <= 0 and merged.gauge("held") == 0 and merged.gauge("in_flight") == 0


def bar(merged: Merged, now: float, wall: float, planned: int) -> str:
    if not merged.started:
        return "waiting for Locust: no worker has started yet"
    elapsed = max(0.0, now - merged.started) if merged.started else 0.0
    done = min(1.0, elapsed / wall) if wall > 0 else 1.0
    filled = int(done * BAR_WIDTH)
    accepted = merged.total("documents")
    rate = accepted / elapsed if elapsed > 1 else 0.0
    backlog = merged.total("deliveries") - merged.total("acked")
    errors = merged.total("errors")
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:4.0%} {elapsed:5.0f}/{wall:.0f} s "
        f"docs {accepted:,}/~{planned:,} ({rate:.1f}/s) backlog {backlog:,} "
        f"held {merged.gauge('held'):.0f} errors {errors:,}"
    )


@dataclass(slots=True)
class LocustProcess:
    command: list[str]
    log: Path
    parts: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                self.command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def merged(self) -> Merged:
        return merge(read_parts(self.parts))

    def workers(self) -> list[dict[str, Any]]:
        """Per part: the worker that played it, its documents and requests."""
        return workers_of(read_parts(self.parts))

    def watch(
        self,
        wall: float,
        planned: int,
        stop_after: float,
        observe: Callable[[Merged], object] | None = None,
    ) -> Merged:
        """Until the run is quiet, or `stop_after` seconds from wall 0, or Locust quits;
        `observe` sees every merge (the live export)."""
        tty = sys.stderr.isatty()
        last_line = 0.0
        while self.alive:
            time.sleep(0.5)
            merged, now = self.merged(), time.time()
            if observe is not None:
                observe(merged)
            if tty or now - last_line >= 10:
                end = "\r" if tty else "\n"
                print(bar(merged, now, wall, planned), end=end, file=sys.stderr, flush=True)
                last_line = now
            over = merged.started and now > merged.started + stop_after
            if quiet(merged) or over:
                break
        if tty:
            print(file=sys.stderr)
        return self.merged()

    def stop(self, timeout: float = 60.0) -> None:
        """SIGINT to Locust's main process, as Ctrl-C would: it stops its users (and worker
        processes), saves the parts, writes its CSV and its HTML (SIGTERM skips the HTML)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]
