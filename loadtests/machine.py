"""Where the benchmark runs: the cores the hub and Locust get, and what the machine is."""

from __future__ import annotations

import os
import platform
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cores", "describe_machine"]


@dataclass(frozen=True, slots=True)
class Cores:
    hub: int | None
    locust: int | None

    @staticmethod
    def choose(pin: bool, workers: int) -> Cores:
        usable = sorted(os.sched_getaffinity(0))
        if not pin or len(usable) < 2 or shutil.which("taskset") is None:
            return Cores(None, None)
        return Cores(usable[0] if workers == 1 else None, usable[1])

    def describe(self) -> dict[str, str]:
        def where(core: int | None) -> str:
            return "any core" if core is None else f"core {core}"

        return {"hub_cores": where(self.hub), "locust_cores": where(self.locust)}


def describe_machine() -> dict[str, object]:
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _cpu_model() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    names = [line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line]
    return names[0] if names else platform.processor()
