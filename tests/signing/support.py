"""Constants and helpers of the signing tests (fixtures are in conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from signing.pki import Pki
from signing.signer import Signer

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
ISSUED = NOW - timedelta(days=30)
AGENCY_A, NAME_A = "000.00.20.H42", "Ủy ban nhân dân tỉnh Ninh Bình"
AGENCY_B, NAME_B = "000.01.20.H42", "Sở Nội vụ tỉnh Ninh Bình"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "interop" / "vpcp-samples"


@dataclass(frozen=True)
class Parties:
    pki: Pki
    person: Signer
    organisation: Signer
    person_b: Signer
    organisation_b: Signer
    expired: Signer  # agency A's leader, certificate ended before NOW
    not_yet_valid: Signer  # certificate starts after NOW
    revoked: Signer  # revoked a day before NOW
    foreign_person: Signer  # same names, another root
    foreign_organisation: Signer


def tool(name: str) -> str:
    """The path of a Debian tool the tests run; missing is a failure (bootstrap installs it)."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed: run scripts/bootstrap.sh (scripts/apt-packages.txt)."
        )
    return found


def run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in arguments], capture_output=True, text=True, timeout=60, check=False
    )


def write_ca_files(pki: Pki, directory: Path) -> tuple[Path, Path, Path]:
    """bundle.pem (root + intermediate), root.pem, intermediate.pem."""
    paths = directory / "bundle.pem", directory / "root.pem", directory / "intermediate.pem"
    paths[0].write_bytes(pki.export_bundle())
    paths[1].write_bytes(pki.root.public_bytes(Encoding.PEM))
    paths[2].write_bytes(pki.intermediate.public_bytes(Encoding.PEM))
    return paths
