"""Load a registry fixture (fixtures/registries/*.json) into a frozen `Registry`."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exchange.domain.agencies import Agency, System, Tier

__all__ = [
    "ALL_STRUCTURES",
    "FIXTURES_ENV",
    "FORMAT",
    "NATIONAL",
    "InvalidRegistry",
    "Registry",
    "UnknownRegistry",
    "available",
    "default_registries_dir",
    "load_registry",
    "parse_registry",
]

FORMAT = "eoffice-sim.registry/1"
FIXTURES_ENV = "EOFFICE_FIXTURES"  # a fixtures root; registries are in its registries/ folder
ALL_STRUCTURES = "all"  # a registry that goes with either structure (the central tier)
NATIONAL = "national"  # the slug of the registry holding every province of a structure

_FILE_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*?)(?:-(?P<structure>\d{4}))?\.json$")


class UnknownRegistry(ValueError):
    """No fixture for the requested slug and structure."""


class InvalidRegistry(ValueError):
    """A fixture file that does not follow the registry format."""


@dataclass(frozen=True, slots=True)
class Registry:
    """One province (or the central tier) in one structure: its systems and agencies."""

    slug: str
    structure: str  # "2019" (three tiers), "2025" (two tiers) or "all" (central)
    name: str
    systems: tuple[System, ...]
    agencies: tuple[Agency, ...]
    source: str


def default_registries_dir() -> Path:
    """$EOFFICE_FIXTURES/registries if set, else the repository's fixtures/registries."""
    root = os.environ.get(FIXTURES_ENV)
    if root:
        return Path(root) / "registries"
    return Path(__file__).resolve().parents[2] / "fixtures" / "registries"


def available(fixtures_dir: Path | None = None) -> list[tuple[str, str]]:
    """Every (slug, structure) with a fixture, sorted."""
    return sorted(_index(fixtures_dir))


def load_registry(slug: str, structure: str = "2019", fixtures_dir: Path | None = None) -> Registry:
    """Load `<slug>-<structure>.json` (or `<slug>.json`, good for any structure).

    Raises `UnknownRegistry` (a ValueError) listing what is available.
    """
    index = _index(fixtures_dir)
    path = index.get((slug, structure)) or index.get((slug, ALL_STRUCTURES))
    if path is None:
        listing = ", ".join(f"{s} ({st})" for s, st in sorted(index)) or "none"
        where = fixtures_dir or default_registries_dir()
        raise UnknownRegistry(
            f"no registry {slug!r} for structure {structure!r} in {where}; available: {listing}"
        )
    registry = parse_registry(json.loads(path.read_text(encoding="utf-8")), str(path))
    if registry.slug != slug:
        raise InvalidRegistry(f"{path}: holds registry {registry.slug!r}, not {slug!r}")
    return registry


def parse_registry(data: Any, origin: str = "<data>") -> Registry:
    """Build a `Registry` from a fixture's decoded JSON."""
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidRegistry(f"{origin}: not a registry fixture ({error!r})") from error


def _index(fixtures_dir: Path | None) -> dict[tuple[str, str], Path]:
    folder = fixtures_dir or default_registries_dir()
    found: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.json")):
        match = _FILE_NAME.match(path.name)
        if match:
            found[(match["slug"], match["structure"] or ALL_STRUCTURES)] = path
    return found


def _parse(data: Any) -> Registry:
    if data["format"] != FORMAT:
        raise ValueError(f"format {data['format']!r}, expected {FORMAT!r}")
    province = None if data["structure"] == ALL_STRUCTURES else data["slug"]
    return Registry(
        slug=data["slug"],
        structure=data["structure"],
        name=data["name"],
        systems=tuple(System(s["id"], s["name"]) for s in data["systems"]),
        agencies=tuple(_agency(a, province) for a in data["agencies"]),
        source=data["source"],
    )


def _agency(item: Any, province: str | None) -> Agency:
    """`province`: the registry's slug, unless the agency names its own (the national one)."""
    return Agency(
        code=item["code"],
        name=item["name"],
        tier=Tier(item["tier"]),
        system_id=item["system"],
        parent=item["parent"],
        qd20_code=item["qd20_code"],
        province=item.get("province", province),
        mail=item.get("mail"),
        old_code=item.get("old_code"),
    )
