"""Where the commands live (../shared/style.md): each package registers its own, one entry
module collects them, no two modules import each other, and the load tester's loose modules
are only those its commands share."""

from __future__ import annotations

import argparse
import ast

from eoffice.main import OWNERS as COLLECTED
from eoffice.main import parser
from tests.architecture.test_import_rules import MODULES, ROOT

KNOWN = {module for module, _ in MODULES}

# Each command, and the module that defines it (the package whose code it drives).
OWNERS = {
    "up": "exchange.cli",
    "seed": "exchange.cli",
    "serve": "exchange.cli",
    "db": "exchange.cli",
    "audit": "exchange.cli",
    "registry": "exchange.cli",
    "pki": "exchange.cli_signing",
    "pdf": "exchange.cli_signing",
    "sign": "exchange.cli_signing",
    "verify": "exchange.cli_signing",
    "demo": "exchange.cli_demo",
    "bench": "loadtests.bench.cli",
    "loadtest": "loadtests.replay.cli",
    "reconcile": "loadtests.replay.cli",
    "compare": "loadtests.replay.cli",
    "capacity": "loadtests.capacity.cli",
}


def _targets(node: ast.AST) -> set[str]:
    """The modules one import statement loads (`from a import b`: a.b when b is a module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        subs = {f"{node.module}.{alias.name}" for alias in node.names}
        return subs if subs <= KNOWN else {node.module} | (subs & KNOWN)
    return set()


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(node: ast.AST) -> set[str]:
    """Every import run at some point (in functions too; not those for the type checker)."""
    if _type_checking(node):
        return set()
    found = _targets(node)
    for child in ast.iter_child_nodes(node):
        found |= _imports(child)
    return found


def _graph() -> dict[str, set[str]]:
    """Who imports whom among the project's modules."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES:
        found = _imports(ast.parse(path.read_text(encoding="utf-8")))
        graph[module] = (found & KNOWN) - {module}
    return graph


def _reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen


def test_no_two_modules_import_each_other() -> None:
    graph = _graph()
    cycles = sorted(m for m in graph if m in _reaches(graph, m))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_the_cycle_check_sees_a_cycle() -> None:
    graph = {"a.x": {"a.y"}, "a.y": {"a.x"}, "a.z": {"a.x"}}
    assert {m for m in graph if m in _reaches(graph, m)} == {"a.x", "a.y"}


def _commands(argv: list[str] | None = None) -> dict[str, argparse.ArgumentParser]:
    built = parser(argv or [])
    action = next(a for a in built._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _run_module(command: argparse.ArgumentParser) -> str:
    run = command.get_default("run")
    if run is None:  # a group (db, audit, pki, registry): its first action's
        group = next(a for a in command._actions if isinstance(a, argparse._SubParsersAction))
        run = next(iter(group.choices.values())).get_default("run")
    return str(run.__module__)


def test_each_command_is_defined_by_the_package_it_drives() -> None:
    commands = _commands()
    assert set(commands) == set(OWNERS)
    assert {name: _run_module(c) for name, c in commands.items()} == OWNERS
    assert COLLECTED == OWNERS  # what `eoffice` imports for a command is the one defining it


def test_a_command_loads_only_its_own_module() -> None:
    assert set(_commands(["loadtest", "--documents", "5"])) == {"loadtest", "reconcile", "compare"}


def test_the_entry_module_is_imported_by_nothing() -> None:
    importers = sorted(m for m, imported in _graph().items() if "eoffice.main" in imported)
    assert importers == ["eoffice.__main__"]


def test_the_load_testers_loose_modules_are_shared_by_its_commands() -> None:
    """A module directly in loadtests/ serves two of its packages at least; the rest of the
    load tester lives in one package per command (bench, signatures, replay, capacity...)."""
    graph = _graph()
    loose = sorted(p.stem for p in (ROOT / "loadtests").glob("*.py") if p.stem != "__init__")
    for name in loose:
        users = {
            m.split(".")[1] for m, imported in graph.items() if f"loadtests.{name}" in imported
        }
        packages = {u for u in users if (ROOT / "loadtests" / u).is_dir()}
        assert len(packages) >= 2, f"loadtests/{name}.py serves only {packages}: move it there"
