"""The national directory: every province of a structure in one registry, for the national hub."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from exchange.domain.agencies import Agency, Tier
from exchange.registry import NATIONAL, Registry, load_registry
from exchange.registry.admin import Merge
from exchange.registry.codes import district_code, province_code
from exchange.registry.lineage import continued

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "registries"
DATA = REPO.parent / "shared" / "data"
SEEDS = {
    "2019": ["ninh-binh", "quang-binh", "ha-tinh", "quang-ngai", "hoa-binh"],
    "2025": ["ninh-binh", "quang-tri", "ha-tinh", "quang-ngai", "phu-tho"],
}
# The 2019 data's own totals (its stats block). domain.md section 1 says 11,161 communes for
# the country in 09/2019; the 12/2019 file lists 11,053, and nothing here invents the rest.
COUNTS_2019 = {"provinces": 63, "districts": 713, "communes": 11_053}
COUNTS_2025 = {"provinces": 34, "communes": 3_321}
# Columns of exchange.db.models.agencies / systems the values must fit.
CODE_WIDTH, SYSTEM_WIDTH, NAME_WIDTH = 35, 64, 255


@cache
def _registry(structure: str) -> Registry:
    return load_registry(NATIONAL, structure)


@cache
def _json(structure: str) -> Any:
    return json.loads((FIXTURES / f"national-{structure}.json").read_text(encoding="utf-8"))


def _tier(registry: Registry, tier: Tier) -> list[Agency]:
    return [a for a in registry.agencies if a.tier is tier]


def _data_counts(file: str, key: str) -> int:
    return int(json.loads((DATA / file).read_text(encoding="utf-8"))["stats"][key])


# --- counts ----------------------------------------------------------------------------------
def test_2019_holds_every_province_district_and_commune_of_the_data() -> None:
    registry = _registry("2019")
    provinces = {a.province for a in registry.agencies}
    counted = {
        "provinces": len(provinces),
        "districts": len(_tier(registry, Tier.DISTRICT)),
        "communes": len(_tier(registry, Tier.COMMUNE)),
    }
    assert counted == COUNTS_2019
    assert counted["communes"] == _data_counts("admin-units-2019-12.json", "level3_count")
    assert [p["slug"] for p in _json("2019")["provinces"]] == sorted(provinces, key=_number)
    assert (registry.slug, registry.structure) == (NATIONAL, "2019")


def _number(slug: str | None) -> str:
    return str(next(p["province_number"] for p in _json("2019")["provinces"] if p["slug"] == slug))


def test_2025_holds_34_provinces_and_3321_communes_in_two_tiers() -> None:
    registry = _registry("2025")
    counted = {
        "provinces": len({a.province for a in registry.agencies}),
        "communes": len(_tier(registry, Tier.COMMUNE)),
    }
    assert counted == COUNTS_2025
    assert counted["communes"] == _data_counts("admin-units-2025-07-merges.json", "level2_count")
    assert _tier(registry, Tier.DISTRICT) == []
    uban = {a.code for a in _tier(registry, Tier.PROVINCE) if a.parent is None}
    assert len(uban) == 34
    assert {a.parent for a in _tier(registry, Tier.COMMUNE)} == uban


@pytest.mark.parametrize(("structure", "low", "high"), [("2019", 20, 22), ("2025", 14, 15)])
def test_every_province_has_its_ubnd_office_and_departments(
    structure: str, low: int, high: int
) -> None:
    per_province = Counter(a.province for a in _tier(_registry(structure), Tier.PROVINCE))
    assert all(low <= n <= high for n in per_province.values()), per_province
    names = {a.name for a in _registry(structure).agencies}
    assert {"UBND Thành phố Hà Nội", "Văn phòng UBND thành phố Hà Nội"} <= names
    assert "Sở Y tế thành phố Hồ Chí Minh" in names


# --- consistency -----------------------------------------------------------------------------
@pytest.mark.parametrize("structure", ["2019", "2025"])
def test_codes_and_system_ids_are_unique_across_the_country_and_the_centre(
    structure: str,
) -> None:
    registries = [_registry(structure), load_registry("central", structure)]
    codes = Counter(a.code for r in registries for a in r.agencies)
    qd20 = Counter(a.qd20_code for r in registries for a in r.agencies)
    systems = Counter(s.id for r in registries for s in r.systems)
    assert [c for c, n in codes.items() if n > 1] == []
    assert [c for c, n in qd20.items() if n > 1] == []
    assert [s for s, n in systems.items() if n > 1] == []


@pytest.mark.parametrize("structure", ["2019", "2025"])
def test_every_agency_is_hosted_by_a_system_that_exists(structure: str) -> None:
    registry = _registry(structure)
    by_code = {a.code: a for a in registry.agencies}
    system_ids = {s.id for s in registry.systems}
    hosted = Counter(a.system_id for a in registry.agencies)
    assert all(a.system_id in system_ids for a in registry.agencies)
    assert all(hosted[s] >= 1 for s in system_ids)
    assert all(
        a.parent is None or by_code[a.parent].province == a.province for a in by_code.values()
    )
    assert max(len(s) for s in system_ids) <= SYSTEM_WIDTH
    assert max(len(a.code) for a in registry.agencies) <= CODE_WIDTH
    assert max(len(a.name) for a in registry.agencies) <= NAME_WIDTH


def test_2019_systems_are_one_per_province_and_one_per_district() -> None:
    registry = _registry("2019")
    assert len(registry.systems) == COUNTS_2019["provinces"] + COUNTS_2019["districts"]
    for district in _tier(registry, Tier.DISTRICT):
        assert district.system_id.startswith(f"{district.province}-")
    tinh = {a.system_id for a in _tier(registry, Tier.PROVINCE)}
    assert tinh == {f"{p}-tinh" for p in {a.province for a in registry.agencies}}


@pytest.mark.parametrize("structure", ["2019", "2025"])
def test_a_province_slice_is_its_own_registry(structure: str) -> None:
    registry = _registry(structure)
    for slug in SEEDS[structure]:
        own = load_registry(slug, structure)
        agencies = tuple(a for a in registry.agencies if a.province == slug)
        systems = {a.system_id for a in agencies}
        assert agencies == own.agencies, slug
        assert tuple(s for s in registry.systems if s.id in systems) == own.systems, slug


# --- the scheme where the country stretches it -----------------------------------------------
def test_ha_noi_30th_district_takes_the_spare_slot_30() -> None:
    ha_noi = [a for a in _tier(_registry("2019"), Tier.DISTRICT) if a.province == "ha-noi"]
    assert len(ha_noi) == 30
    assert (ha_noi[-1].name, ha_noi[-1].code, ha_noi[-1].qd20_code) == (
        "UBND Huyện Mỹ Đức",
        "000.00.30.H01",
        "H01.30",
    )
    assert [a.code for a in ha_noi[:2]] == ["000.00.31.H01", "000.00.32.H01"]


def test_former_districts_of_one_name_get_their_old_province_in_the_system_id() -> None:
    systems = {s.id: s.name for s in _registry("2025").systems if s.id.startswith("vinh-long-")}
    assert systems["vinh-long-huyen-chau-thanh-ben-tre"] == (
        "eOffice cấp xã, Huyện Châu Thành cũ (Tỉnh Bến Tre)"
    )
    assert "vinh-long-huyen-chau-thanh-tra-vinh" in systems
    assert "vinh-long-huyen-chau-thanh" not in systems


def test_district_slots_run_31_to_59_then_30_and_no_further() -> None:
    top = province_code("01")
    assert [district_code(top, i).legacy for i in (0, 28, 29)] == [
        "000.00.31.H01",
        "000.00.59.H01",
        "000.00.30.H01",
    ]
    with pytest.raises(ValueError, match="district index 30"):
        district_code(top, 30)


# --- old_code --------------------------------------------------------------------------------
def test_continued_is_the_kept_id_else_the_one_whole_old_unit() -> None:
    codes = {"00004": "000.04.31.H01", "755": "000.00.38.H77", "00007": "000.05.31.H01"}
    kept = (Merge("00004", "Phường Trúc Bạch", "full"), Merge("00007", "X", "partial"))
    assert continued("00004", kept, codes) == "000.04.31.H01"
    assert continued("26732", (Merge("755", "Huyện Côn Đảo", "full"),), codes) == "000.00.38.H77"
    assert continued("26732", (Merge("755", "Huyện Côn Đảo", "partial"),), codes) is None
    assert continued("09999", kept, codes) is None  # keeps no id, is more than one unit
    assert continued("03043", (Merge("03043", "Xã Mường Bo", "full"),), codes) is None


def test_old_codes_name_distinct_2019_agencies() -> None:
    codes_2019 = {a.code for a in _registry("2019").agencies}
    old = [a.old_code for a in _registry("2025").agencies if a.old_code]
    assert len(old) == len(set(old)) > 3_300
    assert set(old) <= codes_2019
    assert all(a.old_code is None for a in _registry("2019").agencies)


def test_an_old_code_is_the_unit_whose_id_was_kept_or_the_whole_old_unit() -> None:
    gso_2019 = {a["code"]: a.get("gso_id") for a in _json("2019")["agencies"]}
    for agency in _json("2025")["agencies"]:
        if "old_code" not in agency:
            continue
        merges = agency.get("merges", [])
        whole = [m["old_id"] for m in merges if m["type"] == "full"] if len(merges) == 1 else []
        assert gso_2019[agency["old_code"]] in {agency["gso_id"], *whole}, agency["name"]


def test_old_codes_of_provinces_communes_and_special_zones() -> None:
    by_name = {a.name: a for a in _registry("2025").agencies}
    names_2019 = {a.code: a.name for a in _registry("2019").agencies}
    assert by_name["UBND Tỉnh Ninh Bình"].old_code == "000.00.00.H37"
    assert names_2019[by_name["UBND Tỉnh Tây Ninh"].old_code or ""] == "UBND Tỉnh Long An"
    assert names_2019[by_name["UBND Đặc khu Côn Đảo"].old_code or ""] == "UBND Huyện Côn Đảo"
    assert by_name["Sở Y tế tỉnh Ninh Bình"].old_code is None
    missing = [a.name for a in _tier(_registry("2025"), Tier.COMMUNE) if a.old_code is None]
    assert len(missing) == 14 and "UBND Xã Ia Băng" in missing


@pytest.mark.parametrize("slug", SEEDS["2025"])
def test_the_2025_province_registries_carry_old_codes_too(slug: str) -> None:
    communes = _tier(load_registry(slug, "2025"), Tier.COMMUNE)
    assert all(a.old_code for a in communes), [a.name for a in communes if not a.old_code]


# --- the file --------------------------------------------------------------------------------
@pytest.mark.parametrize("structure", ["2019", "2025"])
def test_the_file_is_compact_one_agency_a_line(structure: str) -> None:
    lines = (FIXTURES / f"national-{structure}.json").read_text(encoding="utf-8").splitlines()
    data = _json(structure)
    agencies = [line for line in lines if line.startswith('{"code":')]
    assert len(agencies) == len(data["agencies"])
    assert len(lines) < len(data["agencies"]) + len(data["systems"]) + 100
