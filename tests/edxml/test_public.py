"""Keep `__all__` honest, and the package pure (lxml and exchange.domain only)."""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path

import pytest

import exchange.edxml

PACKAGE = Path(exchange.edxml.__file__).parent
MODULES = sorted(f"exchange.edxml.{path.stem}" for path in PACKAGE.glob("[!_]*.py"))
ALLOWED_IMPORTS = ("__future__", "lxml", "exchange.domain", "exchange.edxml")


@pytest.mark.parametrize("name", [*MODULES, "exchange.edxml", "exchange.domain.secrecy"])
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, item) for item in exported)
    if name == "exchange.edxml":
        return
    defined = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == name
    }
    assert defined <= exported


def test_package_reexports_every_public_module_name() -> None:
    expected = {"parse_edxml", "build_edxml", "detach_attachments", "splice", "append_trace"}
    assert expected <= set(exchange.edxml.__all__)


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_imports_stay_pure(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for imported in names:
            third_party = imported.split(".")[0] not in sys.stdlib_module_names
            if third_party or imported.startswith("exchange"):
                assert imported.startswith(ALLOWED_IMPORTS), f"{path.name} imports {imported}"
