"""Traffic profiles: the fixtures load, cite their seeds verbatim, and bad ones are refused
with the file, the field and the reason."""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from exchange.domain.agencies import Tier
from exchange.registry import load_registry
from loadtests.profiles import (
    ProfileError,
    TierPair,
    available_profiles,
    default_profiles_dir,
    load_profile,
    load_registries,
    parse_profile,
)
from loadtests.profiles.model import RegistrySpec
from loadtests.schedule import bind

SHARED = Path(__file__).resolve().parents[3] / "shared"
PROFILES = ["ha-tinh", "hoa-binh", "national-2022-07", "ninh-binh", "quang-binh", "quang-ngai"]
NINH_BINH = default_profiles_dir() / "ninh-binh.toml"


def _data() -> dict[str, Any]:
    return tomllib.loads(NINH_BINH.read_text(encoding="utf-8"))


def test_every_profile_loads_and_binds_to_its_registries() -> None:
    assert available_profiles() == PROFILES
    for name in PROFILES:
        profile = load_profile(name)
        plan = bind(profile, load_registries(profile))
        assert profile.name == name and plan.flows


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds not present")
@pytest.mark.parametrize("name", PROFILES)
def test_every_source_is_quoted_verbatim_and_used(name: str) -> None:
    profile = load_profile(name)
    for source in profile.sources.values():
        where = (
            SHARED / "domain.md" if source.file == "domain.md" else SHARED / "seeds" / source.file
        )
        assert _normalised(source.quote) in _normalised(where.read_text(encoding="utf-8")), source
    assert set(profile.sourced.values()) == set(profile.sources)


def test_ninh_binh_figures_name_their_seed() -> None:
    profile = load_profile("ninh-binh")
    assert (profile.start, profile.end) == (date(2016, 9, 1), date(2018, 5, 31))
    assert profile.volume.documents == 1_300_000
    assert profile.source_of("volume.documents").file == "003_9dd9793a4a90d42a.txt"  # type: ignore[union-attr]
    era = profile.era(date(2017, 6, 1))
    assert set(era.shares.values()) == {0.85}
    assert profile.source_of(era.fields[TierPair(Tier.COMMUNE, Tier.DISTRICT)]).key == (  # type: ignore[union-attr]
        "nb-electronic"
    )
    assert "flows[0].share" in profile.inferred


def test_ha_tinh_has_the_2013_shares_then_the_2014_targets() -> None:
    profile = load_profile("ha-tinh")
    pairs = [
        TierPair.parse(p) for p in ("province>province", "district>district", "commune>commune")
    ]
    assert [profile.era(date(2013, 5, 1)).shares[p] for p in pairs] == [0.75, 0.75, 0.30]
    assert [profile.era(date(2014, 5, 1)).shares[p] for p in pairs] == [0.85, 0.70, 0.45]


def test_the_national_profile_gives_its_recipients_per_document() -> None:
    profile = load_profile("national-2022-07")
    plan = bind(profile, load_registries(profile))
    assert profile.volume.documents == 135_164
    assert plan.recipients_per_document == pytest.approx(485_666 / 135_164, rel=0.01)


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return mutate


_DELETE = object()
BAD = [
    ("missing", _set("volume/documents", _DELETE), "volume.documents", "missing"),
    ("shares", _set("flows/0/share", 0.5), "flows", "shares sum to 1.22, not 1"),
    ("tier", _set("flows/0/pair", "province>ward"), "flows[0].pair", "unknown tier 'ward'"),
    ("rate", _set("statuses/02/share", -0.01), "statuses.02.share", "between 0 and 1"),
    ("recall", _set("recall/share", -1), "recall.share", "between 0 and 1"),
    ("weekend", _set("calendar/weekend", -0.5), "calendar.weekend", ">= 0"),
    ("burst", _set("bursts/0/factor", -2), "bursts[0].factor", ">= 0"),
    ("source", _set("electronic/0/default/source", "nb-x"), "electronic[0].default.source", "x'"),
    ("dates", _set("end", date(2016, 1, 1)), "end", "before the start"),
    ("typo", _set("calendar/weekends", 0.1), "calendar.weekends", "unknown field"),
    ("era", _set("electronic/0/default", _DELETE), "electronic[0].pairs", "no electronic share"),
    (
        "hours",
        _set("calendar/office_hours", ["07:30-11:30", "11:00-17:00"]),
        "calendar.office_hours[1]",
        "overlaps",
    ),
    ("types", _set("document_types/0/share", 0.1), "document_types", "shares sum to"),
    (
        "duration",
        _set("statuses/03/delay/median", "2 hours"),
        "statuses.03.delay.median",
        "duration",
    ),
    ("priority", _set("priorities/7", 0.0), "priorities.7", "unknown priority"),
    (
        "count",
        _set("flows/1/recipients/max", 1),
        "flows[1].recipients.max",
        "smaller than the mean",
    ),
    ("scope", _set("flows/0/scope", "nation"), "flows[0].scope", "'nation'"),
    ("holidays", _set("calendar/holidays", "XX"), "calendar.holidays", "no calendar"),
    ("format", _set("format", "other/1"), "format", "expected"),
    ("number", _set("intraday/base", "high"), "intraday.base", "expected a number"),
    (
        "sourced",
        _set("volume/documents", {"value": 1, "origin": "x"}),
        "volume.documents",
        "sourced",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "field", "reason"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_a_bad_profile_is_refused_with_file_field_and_reason(
    mutate: Mutation, field: str, reason: str
) -> None:
    data = copy.deepcopy(_data())
    mutate(data)
    with pytest.raises(ProfileError) as refused:
        parse_profile(data, "bad.toml")
    assert (refused.value.file, refused.value.field) == ("bad.toml", field)
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"bad.toml: {field}: ")


def test_a_bad_file_is_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "ninh-binh.toml"
    path.write_text(NINH_BINH.read_text(encoding="utf-8").replace("share = 0.28", "share = -0.28"))
    with pytest.raises(ProfileError, match=r"ninh-binh\.toml: flows\[0\]\.share: must be between"):
        load_profile(path)
    path.write_text("start = [")
    with pytest.raises(ProfileError, match=r"\(file\): not TOML"):
        load_profile(path)
    with pytest.raises(ProfileError, match="available: ha-tinh"):
        load_profile("atlantis")


def test_a_profile_the_registries_cannot_carry_is_refused() -> None:
    profile = load_profile("ninh-binh")
    two_tier = replace(profile, registry=RegistrySpec("2025", ("ninh-binh", "central")))
    registries = load_registries(two_tier)
    with pytest.raises(ProfileError, match=r"flows\[1\]: no province agency .* district recipient"):
        bind(two_tier, registries)
    with pytest.raises(ProfileError, match="registry: runs on"):
        bind(profile, (load_registry("ha-tinh", "2019"), load_registry("central")))
    unknown = replace(profile, registry=RegistrySpec("2019", ("atlantis",)))
    with pytest.raises(ProfileError, match="registry: no registry 'atlantis'"):
        load_registries(unknown)


def test_a_recipients_target_the_flows_miss_is_refused() -> None:
    profile = load_profile("national-2022-07")
    missed = replace(profile, volume=replace(profile.volume, recipients_per_document=5.0))
    with pytest.raises(ProfileError, match=r"volume\.recipients_per_document: the flows give 3\.5"):
        bind(missed, load_registries(profile))


def _modules() -> list[str]:
    import loadtests.profiles
    import loadtests.schedule

    packages = (loadtests.profiles, loadtests.schedule)
    return [
        module.name
        for package in packages
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
    ] + [package.__name__ for package in packages]


@pytest.mark.parametrize("module", _modules())
def test_public_names_exist(module: str) -> None:
    """Every name a module lists in __all__ is defined there (these modules import no locust)."""
    loaded = importlib.import_module(module)
    assert loaded.__all__, module
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.__all__ lists {name!r}, which it lacks"
