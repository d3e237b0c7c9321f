"""The package's surface: every module says what it exports; the benchmark runs."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import signing
from signing import bench

MODULES = sorted(m.name for m in pkgutil.iter_modules(signing.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_its_public_names(name: str) -> None:
    module = importlib.import_module(f"signing.{name}")
    exported = getattr(module, "__all__", None)
    assert exported, f"signing.{name} has no __all__"
    assert all(hasattr(module, item) for item in exported)


def test_the_package_exports_its_main_types() -> None:
    assert {"Pki", "TrustStore", "Signer", "Problem", "VerificationResult"} <= set(signing.__all__)


def test_the_benchmark_prints_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--rounds", "1", "--seconds", "0.001", "--seed", "1"])
    printed = capsys.readouterr().out
    for line in (
        "RSA-2048 sign",
        "RSA-2048 verify",
        "chain verification",
        "verify document, CMS",
        "verify document, PAdES",
        "verify envelope",
        "of raw",
        "Ninh Bình (174 agencies + 174 leaders)",
    ):
        assert line in printed, line
