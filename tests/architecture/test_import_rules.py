"""The layering of ../shared/style.md, enforced on the source: who may import what."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("eoffice", "exchange", "signing", "loadtests")

# (package prefix, forbidden import prefixes)
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("signing", ("exchange", "loadtests", "eoffice", "fastapi", "starlette", "sqlalchemy")),
    ("signing", ("alembic",)),
    ("exchange", ("loadtests", "eoffice")),  # the hub never imports its load tester
    ("loadtests", ("eoffice",)),  # nothing imports the console script's entry
    (
        "exchange.domain",
        ("exchange.db", "exchange.api", "exchange.services", "exchange.edxml", "lxml"),
    ),
    ("exchange.edxml", ("exchange.db", "exchange.api", "exchange.services")),
    ("exchange.protocol", ("exchange.db", "exchange.api", "exchange.services")),
    ("exchange.registry", ("exchange.db", "exchange.api", "exchange.services")),
    ("exchange.services", ("exchange.api",)),
    ("loadtests", ("exchange.api", "exchange.db", "exchange.services")),
]
WEB = ("exchange.api", "exchange.web")  # the web layers: the hub's API, the trainers' pages
ONLY_IN = {  # a library, and the only packages allowed to import it
    "fastapi": WEB,
    "starlette": WEB,
    "sqlalchemy": ("exchange.db",),
    "alembic": ("exchange.db",),
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append((".".join(p for p in parts if p != "__init__"), path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_module_respects_the_layering(module: str, path: Path) -> None:
    imported = _imports(path)
    for prefix, forbidden in RULES:
        if _within(module, prefix):
            bad = sorted(i for i in imported if any(_within(i, f) for f in forbidden))
            assert not bad, f"{module} may not import {bad}"
    for library, owners in ONLY_IN.items():
        if any(_within(i, library) for i in imported):
            assert any(_within(module, o) for o in owners), f"{library} is for {owners} ({module})"


def test_the_rules_see_the_code() -> None:
    """Guard against a rule set that checks nothing (wrong root, renamed packages)."""
    names = {m for m, _ in MODULES}
    assert {"exchange.api.app", "exchange.db.writer", "exchange.domain.status"} <= names


# Not imported here: locust patches the process on import; migrations are Alembic scripts.
IMPORTABLE = [
    m
    for m, _ in MODULES
    if not m.startswith("loadtests") and "migrations" not in m and not m.endswith("__main__")
]


@pytest.mark.parametrize("module", IMPORTABLE)
def test_public_names_exist(module: str) -> None:
    """Every name a module lists in __all__ is defined there."""
    loaded = importlib.import_module(module)
    for name in getattr(loaded, "__all__", []):
        assert hasattr(loaded, name), f"{module}.__all__ lists {name!r}, which it lacks"
