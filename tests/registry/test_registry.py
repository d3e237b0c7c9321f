"""Agency registries: generated from the real admin units, loaded as frozen data."""

from __future__ import annotations

import ast
import importlib
import json
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exchange.domain.agencies import Agency, Tier
from exchange.registry import (
    InvalidRegistry,
    Registry,
    UnknownRegistry,
    available,
    load_registry,
)
from exchange.registry.build import build_all
from exchange.registry.codes import OrganCode, commune_2025_code, province_code
from exchange.registry.names import normalise_name, slugify

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "registries"
DATA = REPO.parent / "shared" / "data"
PACKAGE = REPO / "exchange" / "registry"

SEEDS_2019 = ["ninh-binh", "quang-binh", "ha-tinh", "quang-ngai", "hoa-binh"]
SUCCESSORS_2025 = {  # 2025 registry -> the seed provinces' 2019 registries it absorbed
    "ninh-binh": ["ninh-binh-2019"],
    "quang-tri": ["quang-binh-2019"],
    "ha-tinh": ["ha-tinh-2019"],
    "quang-ngai": ["quang-ngai-2019"],
    "phu-tho": ["hoa-binh-2019"],
}
# Districts / communes on 09/2019 as domain.md section 1 states them.
DOMAIN_COUNTS = {
    "ninh-binh": ("37", 8, 145),
    "quang-binh": ("44", 8, 159),
    "ha-tinh": ("42", 13, 262),
    "quang-ngai": ("51", 14, 184),
    "hoa-binh": ("17", 11, 210),
}
# Registries loaded together: one structure's provinces plus the central tier, or the national
# registry of a structure plus the central tier (tests/registry/test_national.py).
GROUPS = {
    "2019": [(slug, "2019") for slug in SEEDS_2019] + [("central", "all")],
    "2025": [(slug, "2025") for slug in SUCCESSORS_2025] + [("central", "all")],
    "national-2019": [("national", "2019"), ("central", "all")],
    "national-2025": [("national", "2025"), ("central", "all")],
}
ALL = sorted({key for group in GROUPS.values() for key in group})


def _load(slug: str, structure: str) -> Registry:
    return load_registry(slug, "2019" if structure == "all" else structure)


def _by_tier(registry: Registry, tier: Tier) -> list[Agency]:
    return [a for a in registry.agencies if a.tier is tier]


def _fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _gso_counts(level1_id: str) -> tuple[int, int]:
    """Districts and communes of a 2019 province, counted straight from the shared data."""
    data = json.loads((DATA / "admin-units-2019-12.json").read_text(encoding="utf-8"))
    province = next(p for p in data["data"] if p["level1_id"] == level1_id)
    districts = province["level2s"]
    return len(districts), sum(len(d["level3s"]) for d in districts)


# --- what the fixtures hold ------------------------------------------------------------------
def test_available_lists_every_registry() -> None:
    assert available() == ALL


def test_ninh_binh_2019_has_its_real_districts_and_communes() -> None:
    registry = load_registry("ninh-binh")
    districts = {a.name for a in _by_tier(registry, Tier.DISTRICT)}
    communes = {a.name for a in _by_tier(registry, Tier.COMMUNE)}
    assert (registry.structure, registry.name) == ("2019", "Tỉnh Ninh Bình")
    assert (len(districts), len(communes)) == (8, 145)
    assert {"UBND Huyện Nho Quan", "UBND Thành phố Ninh Bình", "UBND Huyện Kim Sơn"} <= districts
    assert {"UBND Phường Đông Thành", "UBND Thị trấn Me", "UBND Xã Cúc Phương"} <= communes


@pytest.mark.parametrize("slug", SEEDS_2019)
def test_seed_province_counts_match_the_data_and_the_domain_brief(slug: str) -> None:
    level1_id, districts, communes = DOMAIN_COUNTS[slug]
    registry = load_registry(slug, "2019")
    counted = (len(_by_tier(registry, Tier.DISTRICT)), len(_by_tier(registry, Tier.COMMUNE)))
    assert counted == _gso_counts(level1_id) == (districts, communes)
    assert registry.agencies[0].code == f"000.00.00.H{level1_id}"


def test_hoa_binh_keeps_the_data_spelling() -> None:
    assert load_registry("hoa-binh").name == "Tỉnh Hoà Bình"


def test_ninh_binh_2025_is_two_tier_with_129_communes() -> None:
    registry = load_registry("ninh-binh", "2025")
    communes = _by_tier(registry, Tier.COMMUNE)
    assert len(communes) == 129
    assert _by_tier(registry, Tier.DISTRICT) == []
    assert {a.parent for a in communes} == {"000.00.00.H37"}
    absorbed = [a["name"] for a in _fixture_json("ninh-binh-2025.json")["absorbed"]]
    assert absorbed == ["Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"]


@pytest.mark.parametrize("slug", sorted(SUCCESSORS_2025))
def test_2025_registries_record_absorbed_seeds_and_merges(slug: str) -> None:
    data = _fixture_json(f"{slug}-2025.json")
    seeds = [a["registry"] for a in data["absorbed"] if a["registry"]]
    assert seeds == SUCCESSORS_2025[slug]
    communes = [a for a in data["agencies"] if a["tier"] == "commune"]
    assert communes and all(a["merges"] for a in communes)
    assert all(re.fullmatch(r"\d{3,5}", m["old_id"]) for a in communes for m in a["merges"])


def test_central_has_the_government_office_and_goes_with_both_structures() -> None:
    registry = load_registry("central", "2025")
    vpcp = next(a for a in registry.agencies if a.code == "000.00.00.G22")
    assert vpcp.name == "Văn phòng Chính phủ"
    assert (vpcp.tier, vpcp.system_id, vpcp.parent) == (Tier.CENTRAL, "central", None)
    assert load_registry("central") == registry
    assert {s.id for s in registry.systems} == {"central"}
    assert len(registry.agencies) >= 7


# --- consistency -----------------------------------------------------------------------------
@pytest.mark.parametrize("structure", sorted(GROUPS))
def test_codes_and_system_ids_are_unique_across_registries_loaded_together(
    structure: str,
) -> None:
    registries = [_load(*key) for key in GROUPS[structure]]
    codes = Counter(a.code for r in registries for a in r.agencies)
    systems = Counter(s.id for r in registries for s in r.systems)
    assert [c for c, n in codes.items() if n > 1] == []
    assert [s for s, n in systems.items() if n > 1] == []


@pytest.mark.parametrize(("slug", "structure"), ALL)
def test_codes_are_well_formed(slug: str, structure: str) -> None:
    for agency in _load(slug, structure).agencies:
        assert len(agency.code) <= 35
        assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.[GH]\d{2}", agency.code), agency.code
        assert agency.qd20_code is not None
        assert agency.qd20_code == _top_down(agency.code)


def _top_down(legacy: str) -> str:
    level4, level3, level2, level1 = legacy.split(".")
    parts = [level1, level2, level3, level4]
    while parts[-1].strip("0") == "":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize(("slug", "structure"), ALL)
def test_every_reference_resolves(slug: str, structure: str) -> None:
    registry = _load(slug, structure)
    codes = {a.code for a in registry.agencies}
    system_ids = [s.id for s in registry.systems]
    hosted = Counter(a.system_id for a in registry.agencies)
    assert all(a.parent is None or a.parent in codes for a in registry.agencies)
    assert all(a.system_id in system_ids for a in registry.agencies)
    assert all(hosted[s] >= 1 for s in system_ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in system_ids)
    assert len(set(system_ids)) == len(system_ids)


@pytest.mark.parametrize("slug", SEEDS_2019)
def test_2019_hierarchy_province_district_commune(slug: str) -> None:
    registry = load_registry(slug)
    tiers = {a.code: a.tier for a in registry.agencies}
    top = registry.agencies[0]
    assert (top.tier, top.parent, top.system_id) == (Tier.PROVINCE, None, f"{slug}-tinh")
    expected_parent = {Tier.PROVINCE: Tier.PROVINCE, Tier.DISTRICT: Tier.PROVINCE}
    for agency in registry.agencies[1:]:
        assert agency.province == slug
        assert tiers[agency.parent or ""] is expected_parent.get(agency.tier, Tier.DISTRICT)
    for commune in _by_tier(registry, Tier.COMMUNE):
        district = next(a for a in registry.agencies if a.code == commune.parent)
        assert commune.system_id == district.system_id != top.system_id


@pytest.mark.parametrize("slug", SEEDS_2019)
def test_2019_province_tier_has_office_and_departments(slug: str) -> None:
    names = [a.name for a in _by_tier(load_registry(slug), Tier.PROVINCE)]
    assert 19 <= len(names) <= 23
    assert any(n.startswith("Văn phòng UBND tỉnh") for n in names)
    assert any(n.startswith("Sở Tư pháp") for n in names)
    assert any(n.startswith("Thanh tra tỉnh") for n in names)


def test_2019_and_2025_commune_codes_of_one_province_never_collide() -> None:
    old = {a.code for a in _by_tier(load_registry("ninh-binh", "2019"), Tier.COMMUNE)}
    new = {a.code for a in _by_tier(load_registry("ninh-binh", "2025"), Tier.COMMUNE)}
    assert old.isdisjoint(new)


# --- regeneration ----------------------------------------------------------------------------
def test_regenerating_from_the_shared_data_gives_the_committed_bytes(tmp_path: Path) -> None:
    assert DATA.is_dir(), f"shared admin-unit data missing at {DATA}: cannot check the fixtures"
    written = build_all(DATA, tmp_path)
    committed = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert sorted(p.name for p in written) == committed
    for path in written:
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name


# --- loading ---------------------------------------------------------------------------------
def test_unknown_slug_is_a_clear_error() -> None:
    with pytest.raises(UnknownRegistry, match=r"'nghe-an'.*available: .*ninh-binh \(2019\)"):
        load_registry("nghe-an")
    assert issubclass(UnknownRegistry, ValueError)


def test_unknown_structure_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"'quang-binh' for structure '2025'.*quang-tri \(2025\)"):
        load_registry("quang-binh", "2025")


def test_fixtures_dir_and_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "registries"
    folder.mkdir()
    shutil.copy(FIXTURES / "central.json", folder)
    assert available(folder) == [("central", "all")]
    assert load_registry("central", fixtures_dir=folder).slug == "central"
    monkeypatch.setenv("EOFFICE_FIXTURES", str(tmp_path))
    assert available() == [("central", "all")]
    with pytest.raises(UnknownRegistry, match="available: central"):
        load_registry("ninh-binh")


def test_a_file_in_another_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "central.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(InvalidRegistry, match="not a registry fixture"):
        load_registry("central", fixtures_dir=tmp_path)


def test_registry_is_frozen() -> None:
    registry = load_registry("central")
    with pytest.raises(AttributeError):
        registry.slug = "other"  # type: ignore[misc]


# --- building blocks -------------------------------------------------------------------------
def test_organ_code_forms() -> None:
    assert OrganCode("H37", 31, 5).legacy == "000.05.31.H37"
    assert OrganCode("H37", 31, 5).qd20 == "H37.31.05"
    assert OrganCode("H13", 20, 0, 2).qd20 == "H13.20.00.002"
    assert province_code("37").legacy == "000.00.00.H37"
    assert commune_2025_code(province_code("37"), 99).legacy == "000.01.61.H37"


@pytest.mark.parametrize(
    "bad", [lambda: OrganCode("37"), lambda: OrganCode("H37", 100), lambda: province_code("0")]
)
def test_organ_code_refuses_out_of_range(bad: Any) -> None:
    with pytest.raises(ValueError):
        bad()


def test_names_and_slugs() -> None:
    assert normalise_name("Thành Phố  Đồng Hới ") == "Thành phố Đồng Hới"
    assert normalise_name("Thị Trấn Châu Ổ") == "Thị trấn Châu Ổ"
    assert slugify("Tỉnh Hoà Bình") == slugify("Tỉnh Hòa Bình") == "tinh-hoa-binh"
    assert slugify("Huyện Đà Bắc") == "huyen-da-bac"


# --- package hygiene -------------------------------------------------------------------------
def _modules() -> Iterator[str]:
    for path in sorted(PACKAGE.glob("*.py")):
        name = "" if path.stem == "__init__" else f".{path.stem}"
        yield f"exchange.registry{name}"


@pytest.mark.parametrize("module_name", list(_modules()))
def test_all_is_honest(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = set(module.__all__)
    assert all(hasattr(module, name) for name in exported)
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    defined = {
        node.name
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    }
    assert defined <= exported


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_registry_is_pure_python(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"exchange"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] in allowed, node.module
            assert not node.module.startswith(("exchange.db", "exchange.api")), node.module
        if isinstance(node, ast.Import):
            assert all(alias.name.split(".")[0] in allowed for alias in node.names)
