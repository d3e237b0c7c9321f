"""Provincial departments and central agencies: neither is in the admin-unit data.

Departments follow the standard list of provincial "sở, ban, ngành" [I]: the names are real, the
per-province variants are a best reading of 2019-2025 practice, and the slot (level 2 of the
code) is the scheme's. A slot keeps its meaning across the two structures: slot 13 is the
culture department in 2019 and in 2025; merged departments of 2025 get slots of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CENTRAL_AGENCIES",
    "CENTRAL_SOURCE",
    "DEPARTMENTS_2019",
    "DEPARTMENTS_2025",
    "CentralAgency",
    "Department",
    "departments_for",
]

# Provinces (by GSO number in the structure's own data) with a separate tourism department in 2019.
_SPLIT_TOURISM = frozenset({"37", "44"})  # Ninh Bình, Quảng Bình
# Provinces with an ethnic-affairs body: Ban Dân tộc (2019), Sở Dân tộc và Tôn giáo (2025).
_ETHNIC_2019 = frozenset({"17", "44", "51"})  # Hoà Bình, Quảng Bình, Quảng Ngãi
_ETHNIC_2025 = frozenset({"25", "44", "51"})  # Phú Thọ, Quảng Trị, Quảng Ngãi


@dataclass(frozen=True, slots=True)
class Department:
    """One provincial department; its full name appends the province ("Sở Y tế tỉnh Hà Tĩnh")."""

    slot: int
    name: str
    only_in: frozenset[str] = frozenset()  # GSO numbers; empty = every province
    not_in: frozenset[str] = frozenset()

    def applies_to(self, province_number: str) -> bool:
        if self.only_in and province_number not in self.only_in:
            return False
        return province_number not in self.not_in


DEPARTMENTS_2019: tuple[Department, ...] = (
    Department(2, "Sở Nội vụ"),
    Department(3, "Sở Tư pháp"),
    Department(4, "Sở Kế hoạch và Đầu tư"),
    Department(5, "Sở Tài chính"),
    Department(6, "Sở Công Thương"),
    Department(7, "Sở Nông nghiệp và Phát triển nông thôn"),
    Department(8, "Sở Giao thông vận tải"),
    Department(9, "Sở Xây dựng"),
    Department(10, "Sở Tài nguyên và Môi trường"),
    Department(11, "Sở Thông tin và Truyền thông"),
    Department(12, "Sở Lao động - Thương binh và Xã hội"),
    Department(13, "Sở Văn hóa, Thể thao và Du lịch", not_in=_SPLIT_TOURISM),
    Department(13, "Sở Văn hóa và Thể thao", only_in=_SPLIT_TOURISM),
    Department(14, "Sở Khoa học và Công nghệ"),
    Department(15, "Sở Giáo dục và Đào tạo"),
    Department(16, "Sở Y tế"),
    Department(17, "Thanh tra"),
    Department(18, "Sở Ngoại vụ"),
    Department(19, "Ban Quản lý các khu công nghiệp"),
    Department(20, "Ban Dân tộc", only_in=_ETHNIC_2019),
    Department(22, "Sở Du lịch", only_in=_SPLIT_TOURISM),
)

DEPARTMENTS_2025: tuple[Department, ...] = (
    Department(2, "Sở Nội vụ"),
    Department(3, "Sở Tư pháp"),
    Department(5, "Sở Tài chính"),
    Department(6, "Sở Công Thương"),
    Department(9, "Sở Xây dựng"),
    Department(13, "Sở Văn hóa, Thể thao và Du lịch"),
    Department(14, "Sở Khoa học và Công nghệ"),
    Department(15, "Sở Giáo dục và Đào tạo"),
    Department(16, "Sở Y tế"),
    Department(17, "Thanh tra"),
    Department(19, "Ban Quản lý các khu công nghiệp"),
    Department(21, "Sở Dân tộc và Tôn giáo", only_in=_ETHNIC_2025),
    Department(23, "Sở Nông nghiệp và Môi trường"),
)

_BY_STRUCTURE = {"2019": DEPARTMENTS_2019, "2025": DEPARTMENTS_2025}


def departments_for(structure: str, province_number: str) -> tuple[Department, ...]:
    """The departments of one province in one structure, in slot order."""
    chosen = (d for d in _BY_STRUCTURE[structure] if d.applies_to(province_number))
    return tuple(sorted(chosen, key=lambda d: d.slot))


@dataclass(frozen=True, slots=True)
class CentralAgency:
    number: int  # level 1 = "G" + two digits
    name: str


CENTRAL_SOURCE = (
    "exchange/registry/departments.py: 000.00.00.G22 (Văn phòng Chính phủ) as in the national"
    " hub's samples; the ministries' numbers as seen in integrators' public code"
)

# G22 (VPCP) is in the national samples [C]; the ministries' numbers are the ones seen in
# integrators' code [3P] (G12 Bộ Tài chính, G14 Bộ TT&TT as a hub system id, ...).
CENTRAL_AGENCIES: tuple[CentralAgency, ...] = (
    CentralAgency(2, "Bộ Công Thương"),
    CentralAgency(3, "Bộ Giáo dục và Đào tạo"),
    CentralAgency(5, "Bộ Kế hoạch và Đầu tư"),
    CentralAgency(9, "Bộ Nội vụ"),
    CentralAgency(12, "Bộ Tài chính"),
    CentralAgency(14, "Bộ Thông tin và Truyền thông"),
    CentralAgency(15, "Bộ Tư pháp"),
    CentralAgency(18, "Bộ Y tế"),
    CentralAgency(22, "Văn phòng Chính phủ"),
)
