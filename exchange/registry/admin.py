"""Read the public administrative-unit data (../shared/data) into small frozen records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exchange.registry.names import normalise_name

__all__ = [
    "DATA_2019",
    "DATA_2025",
    "District",
    "Merge",
    "NewCommune",
    "NewProvince",
    "Province",
    "SourceFile",
    "Unit",
    "read_2019",
    "read_2025",
]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A data file and where it was compiled from (as given in data/README.md)."""

    file: str
    repository: str
    commit: str
    path: str

    def describe(self) -> str:
        return f"{self.file} ({self.repository}@{self.commit}:{self.path})"


DATA_2019 = SourceFile(
    "admin-units-2019-12.json", "daohoangson/dvhcvn", "8d7268a", "data/dvhcvn.json"
)
DATA_2025 = SourceFile(
    "admin-units-2025-07-merges.json", "dvhcvn/20250701", "dd94887", "mapping/merges.json"
)


@dataclass(frozen=True, slots=True)
class Unit:
    gso_id: str
    name: str  # normalised: single spaces, canonical kind casing
    source_name: str  # as spelt in the data

    @classmethod
    def parse(cls, gso_id: str, raw_name: str) -> Unit:
        return cls(gso_id, normalise_name(raw_name), raw_name)


@dataclass(frozen=True, slots=True)
class District:
    unit: Unit
    communes: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class Province:
    unit: Unit
    districts: tuple[District, ...]


@dataclass(frozen=True, slots=True)
class Merge:
    """An old unit merged into a new one: `kind` is "full" or "partial"."""

    old_id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class NewCommune:
    unit: Unit
    merges: tuple[Merge, ...]


@dataclass(frozen=True, slots=True)
class NewProvince:
    unit: Unit
    merges: tuple[Merge, ...]
    communes: tuple[NewCommune, ...]


def read_2019(data_dir: Path) -> dict[str, Province]:
    """Every 2019 province, keyed by GSO number, districts and communes in GSO order."""
    raw = _read(data_dir / DATA_2019.file)
    provinces = (_province(item) for item in raw["data"])
    return {p.unit.gso_id: p for p in sorted(provinces, key=lambda p: p.unit.gso_id)}


def read_2025(data_dir: Path) -> dict[str, NewProvince]:
    """Every 2025 province, keyed by GSO number, communes in GSO order."""
    raw = _read(data_dir / DATA_2025.file)
    provinces = (_new_province(item) for item in raw["data"])
    return {p.unit.gso_id: p for p in sorted(provinces, key=lambda p: p.unit.gso_id)}


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"admin-unit data file not found: {path}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _province(item: dict[str, Any]) -> Province:
    districts = sorted(item["level2s"], key=lambda d: d["level2_id"])
    return Province(
        Unit.parse(item["level1_id"], item["name"]), tuple(_district(d) for d in districts)
    )


def _district(item: dict[str, Any]) -> District:
    communes = sorted(item["level3s"], key=lambda c: c["level3_id"])
    return District(
        Unit.parse(item["level2_id"], item["name"]),
        tuple(Unit.parse(c["level3_id"], c["name"]) for c in communes),
    )


def _new_province(item: dict[str, Any]) -> NewProvince:
    communes = sorted(item["level2s"], key=lambda c: c["level2_id"])
    return NewProvince(
        Unit.parse(item["level1_id"], item["name"]),
        _merges(item),
        tuple(NewCommune(Unit.parse(c["level2_id"], c["name"]), _merges(c)) for c in communes),
    )


def _merges(item: dict[str, Any]) -> tuple[Merge, ...]:
    merges = sorted(item["merges"], key=lambda m: m["old_id"])
    return tuple(Merge(m["old_id"], normalise_name(m["name"]), m["type"]) for m in merges)
