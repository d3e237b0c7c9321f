"""`eoffice seed national`: the whole country's directory into the hub, on both back ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.db
EOFFICE = [sys.executable, "-m", "eoffice"]
# (agencies printed, agencies with central, systems with central, certificates issued): the
# certificates go to the central and provincial tiers only (two per agency).
EXPECTED = {
    "2019": (13_031, 13_040, 777, 2 * (1_265 + 9)),
    "2025": (3_800, 3_809, 748, 2 * (479 + 9)),
}


def _seed(database_url: str, data_dir: Path, structure: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_DATA_DIR": str(data_dir),
        "EXCHANGE_PKI_ALGORITHM": "ec-p256",  # RSA keys cost ~60 ms each
    }
    command = [*EOFFICE, "seed", "national", "--structure", structure]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _credentials(stdout: str) -> tuple[Path, Any]:
    line = next(x for x in stdout.splitlines() if x.startswith("credentials: "))
    path = Path(line.removeprefix("credentials: "))
    assert os.stat(path).st_mode & 0o077 == 0, "credentials must be readable by the owner only"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _rows(database_url: str, sql: str) -> list[Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)).all())
    finally:
        engine.dispose()


@pytest.mark.parametrize("structure", sorted(EXPECTED))
def test_seed_national_loads_every_province_and_writes_the_credentials(
    database_url: str, tmp_path: Path, structure: str
) -> None:
    printed, agencies, systems, certificates = EXPECTED[structure]
    done = _seed(database_url, tmp_path, structure)
    assert done.returncode == 0, done.stderr
    assert f"({structure}): {printed} agencies" in done.stdout
    assert f"certificates: {certificates} issued" in done.stdout
    path, document = _credentials(done.stdout)
    assert path.name == f"national-{structure}.json"
    assert document["registry"] == f"national-{structure}"
    hosted = [a for s in document["systems"] for a in s["agencies"]]
    assert (len(document["systems"]), len(hosted)) == (systems, agencies)
    assert _rows(database_url, "SELECT count(*) FROM agencies") == [(agencies,)]
    assert _rows(database_url, "SELECT count(*) FROM systems") == [(systems,)]
    provinces = _rows(
        database_url, "SELECT DISTINCT province FROM agencies WHERE province IS NOT NULL"
    )
    assert len(provinces) == (63 if structure == "2019" else 34)


def test_seeding_national_again_keeps_the_secrets_and_issues_nothing(
    database_url: str, tmp_path: Path
) -> None:
    first = _seed(database_url, tmp_path, "2019")
    again = _seed(database_url, tmp_path, "2019")
    assert again.returncode == 0, again.stderr
    secrets = [_secrets(run.stdout) for run in (first, again)]
    assert secrets[0] == secrets[1]
    assert "certificates: 0 issued" in again.stdout


def _secrets(stdout: str) -> dict[str, str]:
    return {s["systemId"]: s["secret"] for s in _credentials(stdout)[1]["systems"]}
