"""The hub a replay talks to: checking that `--host` answers, or seeding one's registries."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from loadtests.hub_process import seed
from loadtests.profiles.model import Profile

__all__ = ["CENTRAL", "check_host", "seed_profile"]

CENTRAL = "central"  # seeded with every province
NO_HEALTH_PAGE = 404


def check_host(url: str, timeout: float = 5.0) -> str | None:
    """None when `url`/healthz answers 200, or 404 (a hub without our health page: the
    national one), else a sentence saying what went wrong."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/healthz", timeout=timeout) as response:
            if response.status == 200:
                return None
            return f"the hub at {url} answered /healthz with HTTP {response.status}"
    except urllib.error.HTTPError as error:
        if error.code == NO_HEALTH_PAGE:
            return None
        return f"the hub at {url} answered /healthz with HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return f"no hub answers at {url} ({reason}); start one, or leave out --host"


def seed_profile(
    profile: Profile, database_url: str, data_dir: Path, out: Path, *, signed: bool = False
) -> Path:
    """Seed every province the profile runs on (central comes with each); one credentials file
    with all their systems (a later seed's secret wins). Agencies get certificates only for a
    `signed` replay."""
    systems: dict[str, dict[str, Any]] = {}
    for slug in profile.registry.slugs:
        if slug == CENTRAL:
            continue
        written = seed(database_url, data_dir, province=slug, certificates=signed)
        for system in json.loads(written.read_text(encoding="utf-8"))["systems"]:
            systems[system["systemId"]] = system
    out.write_text(json.dumps({"systems": list(systems.values())}, ensure_ascii=False))
    out.chmod(0o600)
    return out.resolve()
