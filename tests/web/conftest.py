"""A real `eoffice demo` in a subprocess (SQLite, ECDSA keys for a fast seeding) and Debian's
Chromium driven headless through Playwright (the system browser: nothing is downloaded).
A missing Chromium fails the browser tests; it never skips them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.web.browsing import PASSWORD, Demo

CHROMIUM = Path(os.environ.get("EOFFICE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(data: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    return {
        **kept,
        "EXCHANGE_DATA_DIR": str(data),
        "EXCHANGE_DATABASE_URL": f"sqlite:///{data / 'hub.db'}",
        "EXCHANGE_PKI_ALGORITHM": "ec-p256",
        "EXCHANGE_DEMO_PASSWORD": PASSWORD,
        "EXCHANGE_DEMO_POLL_SECONDS": "1",
    }


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"eoffice demo exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"eoffice demo did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@contextmanager
def running_demo(data: Path, **settings: str) -> Iterator[Demo]:
    """`eoffice demo --port N`, exactly as a trainer runs it, on the data directory `data`
    (`settings`: more EXCHANGE_ variables)."""
    log = data / "demo.log"
    base = f"http://127.0.0.1:{_free_port()}"
    command = [str(Path(sys.executable).parent / "eoffice"), "demo", "--port", base.rsplit(":")[-1]]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            env={**_environment(data), **settings},
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=data,
        )
    try:
        _wait_until_up(base, process, log)
        yield Demo(base, data, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo most tests share, on a fresh data directory."""
    with running_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running


@pytest.fixture
def strict_demo(tmp_path: Path) -> Iterator[Demo]:
    """A demo whose hub runs the strict authentication profile."""
    with running_demo(tmp_path, EXCHANGE_AUTH_PROFILE="strict") as running:
        yield running


@pytest.fixture
def own_demo(tmp_path: Path) -> Iterator[Demo]:
    """A demo of the test's own (for what changes the whole class, such as a reset)."""
    with running_demo(tmp_path) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is required at {CHROMIUM} (Debian package `chromium`, listed in "
            "scripts/apt-packages.txt; EOFFICE_CHROMIUM points elsewhere)."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser: Browser, demo: Demo) -> Iterator[Callable[[], BrowserContext]]:
    """Fresh browser profiles (each its own session), closed after the test."""
    opened: list[BrowserContext] = []

    def new() -> BrowserContext:
        context = browser.new_context(
            base_url=demo.base, viewport={"width": 1280, "height": 900}, locale="vi-VN"
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    try:
        yield new
    finally:
        for context in opened:
            context.close()


@pytest.fixture
def context(contexts: Callable[[], BrowserContext]) -> BrowserContext:
    return contexts()
