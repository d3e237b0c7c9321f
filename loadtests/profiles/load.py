"""Finding profile files (fixtures/profiles/*.toml) and the registries a profile runs on."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from exchange.domain.agencies import Tier
from exchange.registry import Registry, load_registry
from loadtests.profiles.model import Profile
from loadtests.profiles.parse import parse_profile_text
from loadtests.profiles.reader import ProfileError

__all__ = ["available_profiles", "default_profiles_dir", "load_profile", "load_registries"]

FIXTURES_ENV = "EOFFICE_FIXTURES"  # a fixtures root, as for the registries


def default_profiles_dir() -> Path:
    """$EOFFICE_FIXTURES/profiles if set, else the repository's fixtures/profiles."""
    root = os.environ.get(FIXTURES_ENV)
    if root:
        return Path(root) / "profiles"
    return Path(__file__).resolve().parents[2] / "fixtures" / "profiles"


def available_profiles(profiles_dir: Path | None = None) -> list[str]:
    """The names of the profiles in the folder, sorted."""
    return sorted(path.stem for path in (profiles_dir or default_profiles_dir()).glob("*.toml"))


def load_profile(name: str | Path, profiles_dir: Path | None = None) -> Profile:
    """A profile by name (`ninh-binh`) or by path; `ProfileError` if missing or invalid."""
    path = Path(name)
    if path.suffix != ".toml":
        path = (profiles_dir or default_profiles_dir()) / f"{name}.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        listing = ", ".join(available_profiles(path.parent)) or "none"
        raise ProfileError(str(path), "(file)", f"{error.strerror}; available: {listing}") from None
    profile = parse_profile_text(text, str(path))
    if profile.name != path.stem:
        raise ProfileError(str(path), "name", f"{profile.name!r} differs from the file name")
    return profile


def load_registries(profile: Profile, registries_dir: Path | None = None) -> tuple[Registry, ...]:
    """The registries the profile names, loaded together and kept to the profile's tiers;
    `ProfileError` for an unknown one."""
    spec = profile.registry
    try:
        loaded = [load_registry(s, spec.structure, registries_dir) for s in spec.slugs]
    except ValueError as error:
        raise ProfileError(profile.file, "registry", str(error)) from None
    return tuple(_restricted(registry, spec.tiers) for registry in loaded)


def _restricted(registry: Registry, tiers: frozenset[Tier]) -> Registry:
    """The registry's agencies of those tiers, and the systems hosting them."""
    agencies = tuple(a for a in registry.agencies if a.tier in tiers)
    if len(agencies) == len(registry.agencies):
        return registry
    hosting = {a.system_id for a in agencies}
    systems = tuple(s for s in registry.systems if s.id in hosting)
    return replace(registry, agencies=agencies, systems=systems)
