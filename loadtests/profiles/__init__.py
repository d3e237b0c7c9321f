"""Traffic profiles: the provinces' figures as data (fixtures/profiles/*.toml), validated.

`load_profile("ninh-binh")` reads and checks one; `load_registries(profile)` loads the agency
registries it runs on. A bad profile raises `ProfileError(file, field, reason)`.
"""

from __future__ import annotations

from loadtests.profiles.load import (
    available_profiles,
    default_profiles_dir,
    load_profile,
    load_registries,
)
from loadtests.profiles.model import Profile, Source, TierPair
from loadtests.profiles.parse import FORMAT, parse_profile, parse_profile_text
from loadtests.profiles.reader import ProfileError

__all__ = [
    "FORMAT",
    "Profile",
    "ProfileError",
    "Source",
    "TierPair",
    "available_profiles",
    "default_profiles_dir",
    "load_profile",
    "load_registries",
    "parse_profile",
    "parse_profile_text",
]
