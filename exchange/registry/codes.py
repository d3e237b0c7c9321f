"""The registries' organisation-code scheme (see fixtures/registries/README.md).

One `OrganCode` is written two ways: the QCVN 102:2016 legacy form `DDD.DD.DD.Xnn` (level 1 at
the right) and the QĐ 20/2020 form written top-down (`H37.31.05`). The numbers are this
scheme's: level 1 is "H" + the GSO province number, not the number a real hub assigned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "LEGACY_CODE",
    "MAX_CODE_LENGTH",
    "SCHEME_VERSION",
    "OrganCode",
    "central_code",
    "commune_2019_code",
    "commune_2025_code",
    "department_code",
    "district_code",
    "office_code",
    "province_code",
]

SCHEME_VERSION = "eoffice-sim.codes/1"
MAX_CODE_LENGTH = 35  # QCVN 102 field length since the 2022 amendment
LEGACY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")

# Level-2 slots under a province (H..): 00 the UBND itself, 01 its office, 02-29 departments,
# 31-59 then 30 district UBNDs (three tiers; only Hà Nội has a 30th district), 60-99 groups of
# 99 communes (two tiers).
_OFFICE_SLOT = 1
_DEPARTMENT_SLOTS = range(2, 30)
_DISTRICT_SLOTS = (*range(31, 60), 30)
_COMMUNE_GROUPS = range(60, 100)
_COMMUNES_PER_SLOT = 99


def province_code(gso_number: str) -> OrganCode:
    """The UBND tỉnh: "H" + the two-digit GSO province number ("37" -> 000.00.00.H37)."""
    number = int(gso_number)
    if not 0 < number < 100:
        raise ValueError(f"province number out of range 01-99: {gso_number!r}")
    return OrganCode(f"H{number:02d}")


def central_code(number: int) -> OrganCode:
    """A central agency: "G" + two digits (22 -> 000.00.00.G22, the Government Office)."""
    if not 0 < number < 100:
        raise ValueError(f"central number out of range 01-99: {number}")
    return OrganCode(f"G{number:02d}")


def office_code(province: OrganCode) -> OrganCode:
    """Văn phòng UBND tỉnh: level 2 = 01."""
    return OrganCode(province.level1, _OFFICE_SLOT)


def department_code(province: OrganCode, slot: int) -> OrganCode:
    """A provincial department ("sở, ban, ngành"): level 2 = its slot, 02-29."""
    if slot not in _DEPARTMENT_SLOTS:
        raise ValueError(f"department slot out of range 02-29: {slot}")
    return OrganCode(province.level1, slot)


def district_code(province: OrganCode, index: int) -> OrganCode:
    """The UBND of the province's `index`-th district (0-based, GSO order): level 2 = 31 + index,
    and 30 for a 30th district (Hà Nội's Mỹ Đức), which 31-59 cannot hold."""
    return OrganCode(province.level1, _pick(_DISTRICT_SLOTS, index, "district"))


def commune_2019_code(district: OrganCode, index: int) -> OrganCode:
    """The UBND of a district's `index`-th commune (0-based, GSO order): level 3 = index + 1."""
    return OrganCode(district.level1, district.level2, _pick(range(1, 100), index, "commune"))


def commune_2025_code(province: OrganCode, index: int) -> OrganCode:
    """A two-tier commune: level 2 = 60 + index // 99, level 3 = index % 99 + 1."""
    group, position = divmod(index, _COMMUNES_PER_SLOT)
    return OrganCode(province.level1, _pick(_COMMUNE_GROUPS, group, "commune group"), position + 1)


def _pick(slots: Sequence[int], index: int, what: str) -> int:
    if not 0 <= index < len(slots):
        raise ValueError(f"{what} index {index} does not fit the scheme (max {len(slots)})")
    return slots[index]


@dataclass(frozen=True, slots=True)
class OrganCode:
    """An organisation code: level 1 (e.g. "H37") refined by levels 2, 3 and 4 (0 = unused)."""

    level1: str
    level2: int = 0
    level3: int = 0
    level4: int = 0

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]\d{2}", self.level1):
            raise ValueError(f"level 1 must be a letter and two digits: {self.level1!r}")
        for value, top in ((self.level2, 99), (self.level3, 99), (self.level4, 999)):
            if not 0 <= value <= top:
                raise ValueError(f"code level out of range 0-{top}: {value}")

    @property
    def legacy(self) -> str:
        """QCVN 102:2016 form, 13 characters: `000.05.31.H37`."""
        return f"{self.level4:03d}.{self.level3:02d}.{self.level2:02d}.{self.level1}"

    @property
    def qd20(self) -> str:
        """QĐ 20/2020 form, top-down, down to the deepest level in use: `H37.31.05`."""
        levels = (self.level2, self.level3, self.level4)
        written = (f"{self.level2:02d}", f"{self.level3:02d}", f"{self.level4:03d}")
        depth = max((i + 1 for i, value in enumerate(levels) if value), default=0)
        return ".".join((self.level1, *written[:depth]))
