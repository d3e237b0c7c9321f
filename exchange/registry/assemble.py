"""Assemble registries (agencies, systems, codes) from the admin-unit records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from exchange.domain.agencies import Agency, System, Tier
from exchange.registry import codes
from exchange.registry.admin import (
    DATA_2019,
    DATA_2025,
    District,
    Merge,
    NewCommune,
    NewProvince,
    Province,
    SourceFile,
    Unit,
)
from exchange.registry.departments import CENTRAL_AGENCIES, CENTRAL_SOURCE, departments_for
from exchange.registry.lineage import continued
from exchange.registry.load import ALL_STRUCTURES
from exchange.registry.names import slugify, split_unit_name

__all__ = [
    "Absorbed",
    "Entry",
    "RegistryDoc",
    "central",
    "checked",
    "province_slug",
    "three_tier",
    "two_tier",
    "unit_codes",
]


@dataclass(frozen=True, slots=True)
class Entry:
    """An agency plus what the fixture records about its origin."""

    agency: Agency
    gso_id: str | None = None
    source_name: str | None = None  # the data's spelling, when normalising changed it
    merges: tuple[Merge, ...] = ()


@dataclass(frozen=True, slots=True)
class Absorbed:
    """An old province merged into a two-tier one; `registry` names its 2019 fixture, if any."""

    gso_id: str
    name: str
    registry: str | None


@dataclass(frozen=True, slots=True)
class RegistryDoc:
    slug: str
    structure: str
    name: str
    province_number: str | None
    sources: tuple[SourceFile, ...]
    systems: tuple[System, ...]
    entries: tuple[Entry, ...]
    absorbed: tuple[Absorbed, ...] = ()
    parts: tuple[RegistryDoc, ...] = ()  # the national registry: its provinces' registries

    @property
    def source(self) -> str:
        if not self.sources:
            return CENTRAL_SOURCE
        return "; ".join(source.describe() for source in self.sources)

    @property
    def file_name(self) -> str:
        if self.structure == ALL_STRUCTURES:
            return f"{self.slug}.json"
        return f"{self.slug}-{self.structure}.json"


def province_slug(unit: Unit) -> str:
    """The registry slug of a province: "Tỉnh Hoà Bình" -> "hoa-binh"."""
    return slugify(split_unit_name(unit.name)[1])


def three_tier(province: Province) -> RegistryDoc:
    """2019 registry: provincial agencies, every district UBND and every commune UBND."""
    slug = province_slug(province.unit)
    top = codes.province_code(province.unit.gso_id)
    tinh = System(f"{slug}-tinh", f"eOffice cấp tỉnh, {province.unit.name}")
    entries = _provincial("2019", province.unit, top, tinh.id)
    systems = [tinh]
    for index, district in enumerate(province.districts):
        system = System(_district_system_id(slug, district.unit), _district_system_name(district))
        systems.append(system)
        entries += _district_entries(district, codes.district_code(top, index), top, system.id)
    name, number = province.unit.name, province.unit.gso_id
    located = _located(entries, slug)
    doc = RegistryDoc(slug, "2019", name, number, (DATA_2019,), tuple(systems), located)
    return checked(doc)


def two_tier(
    province: NewProvince,
    old: Mapping[str, Province],
    seeds: Mapping[str, str],
    old_codes: Mapping[str, str],
) -> RegistryDoc:
    """2025 registry: provincial agencies and every commune UBND, grouped into commune systems
    by the former (2019) district most of each commune's old units came from.

    `old` is the 2019 data by GSO number; `seeds` maps an old GSO number to its 2019 registry;
    `old_codes` is the 2019 code of every old unit by GSO id (`unit_codes`), for `old_code`.
    """
    slug = province_slug(province.unit)
    top = codes.province_code(province.unit.gso_id)
    tinh = System(f"{slug}-tinh", f"eOffice cấp tỉnh, {province.unit.name}")
    entries = _provincial("2025", province.unit, top, tinh.id)
    entries[0] = _continuing(entries[0], province.merges, old_codes)
    former_of = _districts_by_old_id(old.values())
    formers = [_former_district(commune, former_of) for commune in province.communes]
    groups = _commune_systems(slug, formers)
    for index, (commune, former) in enumerate(zip(province.communes, formers, strict=True)):
        code = codes.commune_2025_code(top, index)
        system_id = groups[former.district.gso_id].id
        entry = _unit_entry(commune.unit, code, Tier.COMMUNE, system_id, top, commune.merges)
        entries.append(_continuing(entry, commune.merges, old_codes))
    systems = (tinh, *(groups[key] for key in sorted(groups)))
    absorbed = tuple(Absorbed(m.old_id, m.name, seeds.get(m.old_id)) for m in province.merges)
    name, number = province.unit.name, province.unit.gso_id
    sources = (DATA_2025, DATA_2019)
    located = _located(entries, slug)
    doc = RegistryDoc(slug, "2025", name, number, sources, systems, located, absorbed)
    return checked(doc)


def unit_codes(docs: Iterable[RegistryDoc]) -> dict[str, str]:
    """The code of every real unit in the registries, by GSO id (province, district and commune
    ids never clash: 2, 3 and 5 digits). From the 2019 registries: `two_tier`'s `old_codes`."""
    return {e.gso_id: e.agency.code for d in docs for e in d.entries if e.gso_id is not None}


def central() -> RegistryDoc:
    """The central tier: Văn phòng Chính phủ and a few ministries on one system."""
    system = System("central", "Hệ thống cơ quan trung ương (VPCP và các bộ)")
    entries = []
    for agency in CENTRAL_AGENCIES:
        code = codes.central_code(agency.number)
        entries.append(Entry(_agency(agency.name, code, Tier.CENTRAL, system.id, None)))
    name = "Cơ quan trung ương"
    doc = RegistryDoc("central", ALL_STRUCTURES, name, None, (), (system,), tuple(entries))
    return checked(doc)


def checked(doc: RegistryDoc) -> RegistryDoc:
    """`doc`, after making sure codes are unique and well formed and every reference resolves."""
    problems = list(_problems(doc))
    if problems:
        raise ValueError(f"registry {doc.file_name} is inconsistent: " + "; ".join(problems))
    return doc


def _problems(doc: RegistryDoc) -> Iterable[str]:
    agencies = [entry.agency for entry in doc.entries]
    agency_codes = Counter(a.code for a in agencies)
    system_ids = Counter(s.id for s in doc.systems)
    yield from (f"duplicate code {c}" for c, n in agency_codes.items() if n > 1)
    yield from (f"duplicate system {s}" for s, n in system_ids.items() if n > 1)
    yield from (f"bad code {a.code}" for a in agencies if not codes.LEGACY_CODE.match(a.code))
    yield from (f"unknown parent of {a.code}" for a in agencies if _orphan(a, agency_codes))
    yield from (f"unknown system of {a.code}" for a in agencies if a.system_id not in system_ids)
    hosting = {a.system_id for a in agencies}
    yield from (f"empty system {s.id}" for s in doc.systems if s.id not in hosting)


def _orphan(agency: Agency, known: Mapping[str, int]) -> bool:
    return agency.parent is not None and agency.parent not in known


def _provincial(structure: str, unit: Unit, top: codes.OrganCode, system_id: str) -> list[Entry]:
    kind, base = split_unit_name(unit.name)
    of_province = f"{kind.lower()} {base}"
    office = codes.office_code(top)
    entries = [
        _unit_entry(unit, top, Tier.PROVINCE, system_id, None),
        _plain_entry(f"Văn phòng UBND {of_province}", office, system_id, top),
    ]
    for department in departments_for(structure, unit.gso_id):
        code = codes.department_code(top, department.slot)
        entries.append(_plain_entry(f"{department.name} {of_province}", code, system_id, top))
    return entries


def _district_entries(
    district: District, code: codes.OrganCode, top: codes.OrganCode, system_id: str
) -> list[Entry]:
    entries = [_unit_entry(district.unit, code, Tier.DISTRICT, system_id, top)]
    for index, commune in enumerate(district.communes):
        commune_code = codes.commune_2019_code(code, index)
        entries.append(_unit_entry(commune, commune_code, Tier.COMMUNE, system_id, code))
    return entries


def _unit_entry(
    unit: Unit,
    code: codes.OrganCode,
    tier: Tier,
    system_id: str,
    parent: codes.OrganCode | None,
    merges: tuple[Merge, ...] = (),
) -> Entry:
    agency = _agency(f"UBND {unit.name}", code, tier, system_id, parent)
    source_name = unit.source_name if unit.source_name != unit.name else None
    return Entry(agency, unit.gso_id, source_name, merges)


def _plain_entry(name: str, code: codes.OrganCode, system_id: str, top: codes.OrganCode) -> Entry:
    return Entry(_agency(name, code, Tier.PROVINCE, system_id, top))


def _agency(
    name: str, code: codes.OrganCode, tier: Tier, system_id: str, parent: codes.OrganCode | None
) -> Agency:
    parent_code = parent.legacy if parent else None
    return Agency(code.legacy, name, tier, system_id, parent_code, code.qd20)


def _district_system_id(slug: str, district: Unit) -> str:
    return f"{slug}-{slugify(district.name)}"


def _district_system_name(district: District) -> str:
    return f"eOffice {district.unit.name} (huyện và xã)"


@dataclass(frozen=True, slots=True)
class _Former:
    """A 2019 district and its 2019 province."""

    district: Unit
    province: Unit


def _districts_by_old_id(provinces: Iterable[Province]) -> dict[str, _Former]:
    """2019 district of every old id: a commune's id and the district's own id (island districts
    without communes, e.g. Cồn Cỏ, Lý Sơn, appear in the merges as whole districts)."""
    index: dict[str, _Former] = {}
    for province in provinces:
        for district in province.districts:
            former = _Former(district.unit, province.unit)
            index[district.unit.gso_id] = former
            index.update((commune.gso_id, former) for commune in district.communes)
    return index


def _former_district(commune: NewCommune, former_of: Mapping[str, _Former]) -> _Former:
    """The 2019 district most of the commune's old units belonged to (ties: the lowest id).
    Old units missing from the 2019 data (created after 12/2019) are not counted."""
    formers = [former_of[m.old_id] for m in commune.merges if m.old_id in former_of]
    if not formers:
        old_ids = [m.old_id for m in commune.merges]
        raise ValueError(f"{commune.unit.name}: no old unit in the 2019 data: {old_ids}")
    counts = Counter(f.district.gso_id for f in formers)
    return min(formers, key=lambda f: (-counts[f.district.gso_id], f.district.gso_id))


def _commune_systems(slug: str, formers: Sequence[_Former]) -> dict[str, System]:
    """One commune system per former district, by district id. Two former districts of one
    name (Huyện Châu Thành of Bến Tre and of Trà Vinh, both in Vĩnh Long) are told apart by
    their old province."""
    distinct = {f.district.gso_id: f for f in formers}
    names = Counter(slugify(f.district.name) for f in distinct.values())
    return {key: _commune_system(slug, f, names) for key, f in distinct.items()}


def _commune_system(slug: str, former: _Former, names: Mapping[str, int]) -> System:
    system_id, name = _district_system_id(slug, former.district), f"{former.district.name} cũ"
    if names[slugify(former.district.name)] > 1:
        system_id = f"{system_id}-{province_slug(former.province)}"
        name = f"{name} ({former.province.name})"
    return System(system_id, f"eOffice cấp xã, {name}")


def _continuing(entry: Entry, merges: Sequence[Merge], old_codes: Mapping[str, str]) -> Entry:
    """The entry with `old_code`: the 2019 code of the unit it continues (see lineage)."""
    old_code = continued(entry.gso_id or "", merges, old_codes)
    return replace(entry, agency=replace(entry.agency, old_code=old_code))


def _located(entries: Iterable[Entry], slug: str) -> tuple[Entry, ...]:
    """The entries with `Agency.province` set to the province's registry slug."""
    return tuple(replace(e, agency=replace(e.agency, province=slug)) for e in entries)
