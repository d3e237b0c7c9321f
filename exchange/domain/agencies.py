"""Agencies (routing endpoints) and systems (eOffice installations hosting many agencies)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Agency", "System", "Tier"]


class Tier(StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


@dataclass(frozen=True, slots=True)
class System:
    """One connected eOffice installation; credentials belong to it, routing to its agencies."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Agency:
    code: str  # QCVN 102:2016 OrganId, the routing key
    name: str
    tier: Tier
    system_id: str
    parent: str | None = None
    qd20_code: str | None = None
    province: str | None = None  # registry slug, e.g. "ninh-binh"
    mail: str | None = None
    old_code: str | None = None  # the code it had before a reorganisation (2025: its 2019 code)
