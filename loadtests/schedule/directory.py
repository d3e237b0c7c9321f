"""The agencies a schedule runs on (registries loaded together), and who each one can reach."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exchange.domain.agencies import Tier
from exchange.registry import Registry
from loadtests.profiles.model import Scope

__all__ = ["TIER_RANK", "Directory", "Member", "abbreviation"]

TIER_RANK = {Tier.CENTRAL: 0, Tier.PROVINCE: 1, Tier.DISTRICT: 2, Tier.COMMUNE: 3}
_PLACE = re.compile(r" (?:tỉnh|huyện|thành phố|thị xã) ")
_JOINERS = frozenset({"và", "các", "-"})


def abbreviation(name: str) -> str:
    """The agency part of a notation: `Sở Giáo dục và Đào tạo tỉnh X` -> `SGDĐT`,
    `Văn phòng Chính phủ` -> `VPCP`, any `UBND ...` -> `UBND` [I]."""
    if name.startswith("UBND"):
        return "UBND"
    head = _PLACE.split(name, maxsplit=1)[0]
    words = [w for w in head.split() if w not in _JOINERS]
    return "".join(w if len(w) > 1 and w.isupper() else w[0].upper() for w in words)


@dataclass(frozen=True, slots=True)
class Member:
    code: str
    tier: Tier
    system: str
    province: str | None  # registry slug; None for the central tier
    parent: str | None
    abbreviation: str


class Directory:
    """Every agency of the registries, with its superiors, subordinates and peers."""

    def __init__(self, registries: Sequence[Registry]) -> None:
        self.members: dict[str, Member] = {}
        for registry in registries:
            for a in registry.agencies:
                member = Member(
                    a.code, a.tier, a.system_id, a.province, a.parent, abbreviation(a.name)
                )
                self.members[a.code] = member
        self.systems = tuple(sorted({m.system for m in self.members.values()}))
        self._children: dict[str, list[str]] = {}
        for member in self.members.values():
            if member.parent in self.members:
                self._children.setdefault(member.parent, []).append(member.code)

    def of_tier(self, tier: Tier) -> list[Member]:
        return [m for m in self.members.values() if m.tier is tier]

    def system_of(self, code: str) -> str:
        return self.members[code].system

    def population(self, sender: Member, tier: Tier, scope: Scope) -> tuple[str, ...]:
        """The agencies of `tier` the sender can address in `scope` (never itself)."""
        if scope is Scope.OWN:
            found = self._related(sender, tier)
        else:
            same = scope is Scope.PROVINCE
            found = [
                m.code
                for m in self.of_tier(tier)
                if sender.province is None
                or m.province is None
                or (m.province == sender.province) == same
            ]
        return tuple(code for code in found if code != sender.code)

    def _related(self, sender: Member, tier: Tier) -> list[str]:
        rank, own = TIER_RANK[tier], TIER_RANK[sender.tier]
        if rank > own:
            return [c for c in self._descendants(sender.code) if self.members[c].tier is tier]
        if rank < own:
            return [c for c in self._ancestors(sender) if self.members[c].tier is tier]
        return [
            m.code
            for m in self.of_tier(tier)
            if m.parent == sender.parent and m.province == sender.province
        ]

    def _ancestors(self, member: Member) -> list[str]:
        found: list[str] = []
        while member.parent in self.members and member.parent not in found:
            found.append(member.parent)
            member = self.members[member.parent]
        return found

    def _descendants(self, code: str) -> list[str]:
        found, pending = [], list(self._children.get(code, []))
        while pending:
            child = pending.pop(0)
            found.append(child)
            pending.extend(self._children.get(child, []))
        return found
