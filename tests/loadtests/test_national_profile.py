"""The national profile runs on the national directory, kept to the tiers the national hub sees."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from exchange.domain.agencies import Tier
from exchange.registry import NATIONAL
from loadtests.profiles import (
    ProfileError,
    default_profiles_dir,
    load_profile,
    load_registries,
    parse_profile,
)
from loadtests.schedule import bind, schedule

NATIONAL_PROFILE = default_profiles_dir() / "national-2022-07.toml"


def _data() -> dict[str, Any]:
    return tomllib.loads(NATIONAL_PROFILE.read_text(encoding="utf-8"))


def test_the_national_profile_resolves_to_the_national_registry() -> None:
    profile = load_profile("national-2022-07")
    registries = load_registries(profile)
    assert profile.registry.structure == "2019"
    assert [(r.slug, r.structure) for r in registries] == [("central", "all"), (NATIONAL, "2019")]
    assert profile.registry.tiers == {Tier.CENTRAL, Tier.PROVINCE}
    national = registries[1]
    assert {a.tier for a in national.agencies} == {Tier.PROVINCE}
    assert len({a.province for a in national.agencies}) == 63
    assert {s.id for s in national.systems} == {f"{a.province}-tinh" for a in national.agencies}


def test_its_senders_are_every_province_and_its_target_holds() -> None:
    profile = load_profile("national-2022-07")
    plan = bind(profile, load_registries(profile))
    assert len(plan.directory.systems) == 64  # 63 provincial systems and the central one
    senders = {str(b.pair): len(b.senders) for b in plan.flows}
    assert senders == {
        "central>central": 9,
        "central>province": 9,
        "province>central": 1_265,
        "province>province": 1_265,
    }
    assert plan.recipients_per_document == pytest.approx(485_666 / 135_164, rel=0.01)


def test_a_scaled_down_national_schedule_reaches_many_provinces() -> None:
    profile = load_profile("national-2022-07")
    events = schedule(profile, load_registries(profile), seed=1, documents=2_000, polls=False)
    systems = {event.system for event in events}
    assert len(systems) > 50


def test_profile_tiers_are_checked() -> None:
    for tiers, reason in (([], "non-empty array"), (["ward"], "unknown tier 'ward'")):
        data = copy.deepcopy(_data())
        data["registry"]["tiers"] = tiers
        with pytest.raises(ProfileError, match=f"registry.tiers: .*{reason}"):
            parse_profile(data, "national.toml")


def test_without_tiers_a_profile_runs_on_every_tier() -> None:
    data = copy.deepcopy(_data())
    del data["registry"]["tiers"]
    data["name"] = "whole"
    profile = parse_profile(data, "whole.toml")
    assert profile.registry.tiers == frozenset(Tier)
    national = load_registries(profile)[1]
    assert len(national.agencies) == 13_031 and len(national.systems) == 776
