"""The workbench's directory from the national protocol's getAgenciesList (code, name, `pid`)
and the seeding's credentials (who hosts which agency, of which tier)."""

from __future__ import annotations

import json
from pathlib import Path

from exchange.domain.agencies import Tier
from exchange.web.directory import AgencyDirectory, SystemCredential, load_credentials

LISTING = [
    {"id": "P", "code": "P", "name": "UBND Tỉnh Ninh Bình", "mail": "", "pid": "", "oldCode": ""},
    {"id": "D", "code": "D", "name": "Sở Nội vụ", "mail": "", "pid": "P", "oldCode": ""},
    {"id": "C", "code": "C", "name": "UBND Xã Một", "mail": "", "pid": "D", "oldCode": ""},
    {"id": "X", "code": "X", "name": "Hosted by nobody we play", "pid": "P"},
]
PLAYED = [
    SystemCredential("tinh", "s1", {"P": Tier.PROVINCE, "D": Tier.PROVINCE}),
    SystemCredential("xa", "s2", {"C": Tier.COMMUNE}),
]


def test_tiers_come_from_the_credentials_and_parents_from_pid() -> None:
    directory = AgencyDirectory.build(LISTING, PLAYED)
    assert sorted(directory.agencies) == ["C", "D", "P"]
    commune = directory.agencies["C"]
    assert (commune.tier, commune.system_id, commune.parent) == (Tier.COMMUNE, "xa", "D")
    assert directory.agencies["P"].parent is None
    assert [n.agency.code for n in directory.tree()] == ["P"]
    assert directory.province_name == "Ninh Bình"


def test_a_pid_naming_an_id_is_read_as_that_agencys_code() -> None:
    listing = [{**row, "id": f"#{i}"} for i, row in enumerate(LISTING)]
    listing[1]["pid"], listing[2]["pid"] = "#0", "#1"
    directory = AgencyDirectory.build(listing, PLAYED)
    assert directory.parent_of("C") == directory.agencies["D"]
    assert directory.parent_of("D") == directory.agencies["P"]


def test_credentials_give_each_hosted_agency_its_tier(tmp_path: Path) -> None:
    path = tmp_path / "ninh-binh-2019.json"
    system = {"systemId": "tinh", "secret": "s", "agencies": [{"code": "P", "tier": "province"}]}
    path.write_text(json.dumps({"systems": [system]}), encoding="utf-8")
    assert load_credentials(path) == [SystemCredential("tinh", "s", {"P": Tier.PROVINCE})]
