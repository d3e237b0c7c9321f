"""What `--help` tells a user before anything runs (the defaults), and what starting a command
costs: a load-test command does not load the hub's database, web or signature code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.support import EOFFICE

HEAVY = ("sqlalchemy", "fastapi", "pyhanko", "matplotlib", "locust")


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (("seed",), "a province, or national (default: ninh-binh)"),
        (("loadtest",), "(default: 500; with --start/--end: all)"),
        (("loadtest",), "(default: 127.0.0.1)"),  # --master-bind-host: the loopback
        (("serve",), "TCP port (default: 8000)"),
        (("capacity",), "compression factor per step (default: 2.0)"),
    ],
)
def test_help_shows_the_defaults(command: tuple[str, ...], shown: str) -> None:
    done = subprocess.run([*EOFFICE, *command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert shown in " ".join(done.stdout.split())


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("loadtest", "loadtests.replay.run"),  # the parser `eoffice loadtest` forwards to
        ("reconcile", "loadtests.replay.cli"),
        ("compare", "loadtests.replay.compare"),
        ("capacity", "loadtests.capacity.cli"),
    ],
)
def test_a_load_test_command_starts_without_the_hubs_code(command: str, module: str) -> None:
    probe = (
        "import importlib, sys\n"
        "from eoffice.main import parser\n"
        f"parser([{command!r}])\n"
        f"importlib.import_module({module!r})\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
