"""Generate the registry fixtures from the admin-unit data: the seed provinces (2019, 2025),
the central tier, and the national registries (every province, each structure).

    python -m exchange.registry.build [--data DIR] [--out DIR]

Output is deterministic: the same data gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from exchange.domain.agencies import Tier
from exchange.registry import codes
from exchange.registry.admin import NewProvince, read_2019, read_2025
from exchange.registry.assemble import (
    Entry,
    RegistryDoc,
    central,
    province_slug,
    three_tier,
    two_tier,
    unit_codes,
)
from exchange.registry.load import ALL_STRUCTURES, FORMAT, default_registries_dir
from exchange.registry.national import national

__all__ = [
    "SEED_PROVINCES",
    "build_all",
    "build_docs",
    "default_data_dir",
    "default_out_dir",
    "main",
    "render",
]

# The seeds' provinces by GSO number: Ninh Bình, Quảng Bình, Hà Tĩnh, Quảng Ngãi, Hoà Bình.
SEED_PROVINCES: tuple[str, ...] = ("37", "44", "42", "51", "17")
_LINE_LISTS = frozenset({"provinces", "systems", "agencies"})  # one item a line when compact


def default_data_dir() -> Path:
    """The shared data next to the repository: ../shared/data."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def default_out_dir() -> Path:
    """Where the fixtures go: the folder `load_registry` reads by default."""
    return default_registries_dir()


def build_docs(data_dir: Path) -> list[RegistryDoc]:
    """Seed provinces in 2019, their 2025 successors, the central tier, and the national
    registries of both structures (every province)."""
    old, new = read_2019(data_dir), read_2025(data_dir)
    seeds = {number: f"{province_slug(old[number].unit)}-2019" for number in SEED_PROVINCES}
    country_2019 = {number: three_tier(province) for number, province in old.items()}
    old_codes = unit_codes(country_2019.values())
    country_2025 = {n: two_tier(p, old, seeds, old_codes) for n, p in new.items()}
    docs = [country_2019[number] for number in SEED_PROVINCES]
    docs += [country_2025[province.unit.gso_id] for province in _successors(new)]
    docs.append(central())
    docs += [national(list(country_2019.values())), national(list(country_2025.values()))]
    _check_together(docs)
    return docs


def build_all(data_dir: Path, out_dir: Path) -> list[Path]:
    """Write every registry fixture into `out_dir`; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in build_docs(data_dir):
        path = out_dir / doc.file_name
        path.write_text(render(doc), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def render(doc: RegistryDoc) -> str:
    """The fixture text: UTF-8 JSON, indent 1, keys in a fixed order, trailing newline; the
    national registry (thousands of agencies) compact, one province, system or agency a line."""
    if doc.parts:
        return _compact(_document(doc))
    return json.dumps(_document(doc), ensure_ascii=False, indent=1) + "\n"


def _compact(data: dict[str, object]) -> str:
    lines = []
    for key, value in data.items():
        if key in _LINE_LISTS and isinstance(value, list):
            items = ",\n".join(_dumps(item) for item in value)
            lines.append(f"{_dumps(key)}:[\n{items}\n]")
        else:
            lines.append(f"{_dumps(key)}:{_dumps(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _successors(new: Mapping[str, NewProvince]) -> list[NewProvince]:
    """The 2025 provinces that absorbed a seed province, in seed order, each once."""
    found: dict[str, NewProvince] = {}
    for number in SEED_PROVINCES:
        province = next(p for p in new.values() if number in {m.old_id for m in p.merges})
        found.setdefault(province.unit.gso_id, province)
    return list(found.values())


def _check_together(docs: Sequence[RegistryDoc]) -> None:
    """Registries of one structure (plus central) are loaded together: codes and system ids
    must be unique across them. The 2019 and 2025 registries are alternatives, and so are the
    national registry of a structure and its province registries (it holds them)."""
    central_tier = [d for d in docs if d.structure == ALL_STRUCTURES]
    for structure in sorted({d.structure for d in docs} - {ALL_STRUCTURES}):
        for whole in (False, True):
            group = [d for d in docs if d.structure == structure and bool(d.parts) is whole]
            _check_group(structure, [*group, *central_tier])


def _check_group(structure: str, group: Sequence[RegistryDoc]) -> None:
    agency_codes = Counter(e.agency.code for d in group for e in d.entries)
    system_ids = Counter(s.id for d in group for s in d.systems)
    clashes = [k for k, n in (agency_codes + system_ids).items() if n > 1]
    if clashes:
        raise ValueError(f"structure {structure}: shared codes or system ids {clashes[:5]}")


def _document(doc: RegistryDoc) -> dict[str, object]:
    data: dict[str, object] = {
        "format": FORMAT,
        "slug": doc.slug,
        "structure": doc.structure,
        "name": doc.name,
        "province_number": doc.province_number,
        "code_scheme": codes.SCHEME_VERSION,
        "source": doc.source,
        "source_files": [
            {"file": s.file, "repository": s.repository, "commit": s.commit, "path": s.path}
            for s in doc.sources
        ],
    }
    if doc.absorbed:
        data["absorbed"] = [
            {"gso_id": a.gso_id, "name": a.name, "registry": a.registry} for a in doc.absorbed
        ]
    data["counts"] = _counts(doc.entries)
    if doc.parts:
        data["provinces"] = [_province(part) for part in doc.parts]
    data["systems"] = [{"id": s.id, "name": s.name} for s in doc.systems]
    data["agencies"] = [_agency(entry, located=bool(doc.parts)) for entry in doc.entries]
    return data


def _province(part: RegistryDoc) -> dict[str, object]:
    """A province of the national registry: its own registry's header, in short."""
    data: dict[str, object] = {
        "slug": part.slug,
        "name": part.name,
        "province_number": part.province_number,
    }
    if part.absorbed:
        data["absorbed"] = [{"gso_id": a.gso_id, "name": a.name} for a in part.absorbed]
    data["counts"] = _counts(part.entries)
    data["systems"] = len(part.systems)
    return data


def _counts(entries: Iterable[Entry]) -> dict[str, int]:
    counts = Counter(entry.agency.tier for entry in entries)
    return {tier.value: counts[tier] for tier in Tier if counts[tier]}


def _agency(entry: Entry, *, located: bool) -> dict[str, object]:
    """An agency; `located`: with its province (the national registry holds many)."""
    agency = entry.agency
    data: dict[str, object] = {
        "code": agency.code,
        "qd20_code": agency.qd20_code,
        "name": agency.name,
        "tier": agency.tier.value,
        "system": agency.system_id,
        "parent": agency.parent,
    }
    if located:
        data["province"] = agency.province
    if agency.old_code is not None:
        data["old_code"] = agency.old_code
    if agency.mail is not None:
        data["mail"] = agency.mail
    if entry.gso_id is not None:
        data["gso_id"] = entry.gso_id
    if entry.source_name is not None:
        data["source_name"] = entry.source_name
    if entry.merges:
        data["merges"] = [
            {"old_id": m.old_id, "name": m.name, "type": m.kind} for m in entry.merges
        ]
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m exchange.registry.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="admin-unit data")
    parser.add_argument("--out", type=Path, default=default_out_dir(), help="output dir")
    args = parser.parse_args(argv)
    for path in build_all(args.data, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
