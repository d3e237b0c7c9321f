"""The agencies the workbench can play: those hosted by the systems whose credentials the
seeding wrote (credentials/<registry>.json, which also gives each agency's tier), as the hub's
directory describes them (getAgenciesList: code, name, `pid` the parent's id), arranged
as the tier tree (central; province, its departments and districts; each district's
communes)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exchange.domain.agencies import Agency, Tier

__all__ = ["AgencyDirectory", "SystemCredential", "TreeNode", "load_credentials"]

TIER_ORDER = (Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE, Tier.CENTRAL)  # the province first


@dataclass(frozen=True, slots=True)
class SystemCredential:
    system_id: str
    secret: str
    agencies: dict[str, Tier]  # the agencies it hosts: code -> tier


def load_credentials(path: Path) -> list[SystemCredential]:
    if not path.exists():
        raise FileNotFoundError(f"No credentials at {path}: seed the province first.")
    document = json.loads(path.read_text(encoding="utf-8"))
    return [
        SystemCredential(
            s["systemId"], s["secret"], {a["code"]: Tier(a["tier"]) for a in s["agencies"]}
        )
        for s in document["systems"]
    ]


@dataclass(frozen=True, slots=True)
class TreeNode:
    agency: Agency
    children: tuple[TreeNode, ...] = ()


@dataclass(frozen=True, slots=True)
class AgencyDirectory:
    agencies: dict[str, Agency]
    province_name: str = ""
    _children: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, listing: Iterable[dict[str, Any]], playable: Sequence[SystemCredential]
    ) -> AgencyDirectory:
        rows = list(listing)
        codes = {str(a["id"]): str(a["code"]) for a in rows if a.get("id") not in (None, "")}
        hosted = {code: c for c in playable for code in c.agencies}
        agencies = {
            a["code"]: Agency(
                a["code"],
                a["name"],
                hosted[a["code"]].agencies[a["code"]],
                hosted[a["code"]].system_id,
                _parent(a, codes),
            )
            for a in rows
            if a["code"] in hosted
        }
        children: dict[str, list[str]] = {}
        for agency in agencies.values():
            if agency.parent is not None and agency.parent in agencies:
                children.setdefault(agency.parent, []).append(agency.code)
        return cls(agencies, _province_name(agencies.values()), children)

    def get(self, code: str) -> Agency | None:
        return self.agencies.get(code)

    def tree(self) -> list[TreeNode]:
        roots = [a for a in self.agencies.values() if a.parent not in self.agencies]
        roots.sort(key=lambda a: (TIER_ORDER.index(a.tier), a.code))
        return [self._node(a) for a in roots]

    def ordered(self) -> list[Agency]:
        """Every agency, the province's tiers first, then the central ones."""
        return sorted(self.agencies.values(), key=lambda a: (TIER_ORDER.index(a.tier), a.code))

    def of_tier(self, tier: Tier) -> list[Agency]:
        return [a for a in self.agencies.values() if a.tier is tier]

    def children_of(self, code: str) -> list[Agency]:
        return [self.agencies[c] for c in self._children.get(code, [])]

    def parent_of(self, code: str) -> Agency | None:
        agency = self.agencies.get(code)
        return self.agencies.get(agency.parent) if agency and agency.parent else None

    def _node(self, agency: Agency) -> TreeNode:
        kids = sorted(self.children_of(agency.code), key=lambda a: (a.tier != agency.tier, a.code))
        return TreeNode(agency, tuple(self._node(k) for k in kids))


def _parent(row: dict[str, Any], codes: dict[str, str]) -> str | None:
    """The parent's code: `pid` names it by its id (the hub's ids may be the codes)."""
    pid = str(row.get("pid") or "")
    return codes.get(pid, pid) or None


def _province_name(agencies: Iterable[Agency]) -> str:
    """'Ninh Bình' from the province UBND's name ('UBND Tỉnh Ninh Bình')."""
    for agency in agencies:
        if agency.tier is Tier.PROVINCE and agency.parent is None:
            words = agency.name.split()
            for marker in ("Tỉnh", "tỉnh", "phố"):
                if marker in words:
                    return " ".join(words[words.index(marker) + 1 :])
            return agency.name
    return ""
