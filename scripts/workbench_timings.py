"""The workbench's timing figures in the README: `eoffice demo` from the command to the first
page (a fresh data directory, then a restart on it), and each lesson's click until its page
answers (three agencies in turn). From the repository:

    .venv/bin/python scripts/workbench_timings.py
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PASSWORD = "tap-huan-van-thu"
LESSONS = ("tamper", "revoked", "expired", "secret")
SENDERS = ("000.00.02.H37", "000.00.03.H37", "000.00.04.H37")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(data: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    env.update(EXCHANGE_DATA_DIR=str(data), EXCHANGE_DEMO_PASSWORD=PASSWORD)
    eoffice = Path(sys.executable).with_name("eoffice")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(eoffice), "demo", "--port", str(port)],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def _lessons(base: str) -> dict[str, list[float]]:
    client = httpx.Client(base_url=base, timeout=60)
    token = lambda page: re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # noqa: E731
    form = {"csrf": token(client.get("/login")), "user": "giangvien", "password": PASSWORD}
    client.post("/login", data=form)
    csrf = token(client.get("/"))
    took: dict[str, list[float]] = {lesson: [] for lesson in LESSONS}
    for sender in SENDERS:
        client.get(f"/a/{sender}/clerk/compose")  # its certificates, issued on first need
        for lesson in LESSONS:
            started = time.perf_counter()
            page = client.post(
                f"/a/{sender}/clerk/lessons/{lesson}",
                data={"csrf": csrf, "recipient": "000.00.31.H37"},
                follow_redirects=True,
            )
            took[lesson].append(time.perf_counter() - started)
            assert "lesson-report" in page.text
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data, port = Path(folder), _port()
        process, first = _start(data, port)
        _stop(process)
        process, again = _start(data, port)
        try:
            took = _lessons(f"http://127.0.0.1:{port}")
        finally:
            _stop(process)
    print(f"first start (fresh data directory): {first:.1f} s")
    print(f"restart on the same data:           {again:.1f} s")
    for lesson, seconds in took.items():
        shown = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"lesson {lesson:8s} {shown} s (median {statistics.median(seconds):.2f} s)")


if __name__ == "__main__":
    main()
