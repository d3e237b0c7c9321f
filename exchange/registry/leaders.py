"""The competent person who signs for each agency. Synthetic: real names of office holders
are not in the public data, so each agency gets a plausible Vietnamese name, the same one
every time (drawn from its code), with the position its kind of agency has."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from exchange.domain.agencies import Agency, Tier

__all__ = ["Leader", "leader_of"]

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Thu")
GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai",
    "Nam", "Phúc", "Quân", "Sơn", "Thảo", "Trung", "Tuấn", "Việt", "Yến", "Hương",
)  # fmt: skip
POSITIONS = (  # (name starts with, position)
    ("UBND", "Chủ tịch"),
    ("Văn phòng UBND", "Chánh Văn phòng"),
    ("Văn phòng Chính phủ", "Bộ trưởng, Chủ nhiệm"),
    ("Bộ", "Bộ trưởng"),
    ("Sở", "Giám đốc"),
    ("Thanh tra", "Chánh Thanh tra"),
    ("Ban", "Trưởng ban"),
)


@dataclass(frozen=True, slots=True)
class Leader:
    full_name: str
    position: str


def leader_of(agency: Agency) -> Leader:
    digest = hashlib.sha256(agency.code.encode()).digest()
    name = " ".join(
        (
            FAMILY[digest[0] % len(FAMILY)],
            MIDDLE[digest[1] % len(MIDDLE)],
            GIVEN[digest[2] % len(GIVEN)],
        )
    )
    return Leader(name, _position(agency))


def _position(agency: Agency) -> str:
    for prefix, position in POSITIONS:
        if agency.name.startswith(prefix):
            return position
    return "Thủ trưởng" if agency.tier is not Tier.COMMUNE else "Chủ tịch"
