"""The live panel of the hub: today's documents by tier (the hub's database), the electronic
share against the province's target (from the seeds), the backlog and the audit chain.

Electronic share, as the seeds count it ("85% of incoming / outgoing documents go through
the system"): of the documents the agencies released today (numbered in their registers and
sent, or refused), how many the hub carried. A secret document, or one the hub refused,
goes on paper."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import anyio

from exchange.db.activity import HubActivity, TierActivity, hub_activity
from exchange.db.audit_check import verify_audit_chain
from exchange.web.directory import TIER_ORDER
from exchange.web.workbench import Workbench

__all__ = ["TARGETS", "AuditState", "HubFigures", "Target", "TierRow", "hub_figures"]

VIETNAM = timezone(timedelta(hours=7))
_AUDIT_CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Target:
    percent: int
    by_tier: dict[str, int]
    source: str  # where the figure comes from (seeds/ and domain brief section 7)

    def of(self, tier: str) -> int:
        return self.by_tier.get(tier, self.percent)


TARGETS = {
    "ninh-binh": Target(
        85, {}, "Ninh Bình, 05/2018 (seeds/003): 85% văn bản đi, đến được xử lý qua hệ thống"
    ),
    "ha-tinh": Target(
        85,
        {"province": 85, "district": 70, "commune": 45},
        "Hà Tĩnh, kế hoạch 2014 (seeds/001): > 85% cấp tỉnh, 70% cấp huyện, 45% cấp xã",
    ),
    "quang-ngai": Target(80, {}, "Quảng Ngãi 2018-2022 (seeds/002): 80% giữa các cơ quan"),
    "quang-binh": Target(60, {}, "Quảng Bình 2018 (seeds/000): 60-80% qua mạng"),
    "hoa-binh": Target(60, {}, "Hòa Bình 2017 (seeds/004): 60% giữa sở và huyện"),
}
NATIONAL = Target(80, {}, "QĐ 1819/QĐ-TTg 2016-2020 (seeds/004): 80% giữa các cơ quan")


@dataclass(frozen=True, slots=True)
class TierRow:
    tier: str
    hub: TierActivity
    released: int
    electronic: int
    target: int

    @property
    def share(self) -> float | None:
        return self.electronic / self.released if self.released else None


@dataclass(frozen=True, slots=True)
class AuditState:
    records: int
    broken_at: int | None
    checked_at: datetime


@dataclass(frozen=True, slots=True)
class HubFigures:
    day: date
    rows: list[TierRow]
    activity: HubActivity
    audit: AuditState
    target: Target
    policy: str


async def hub_figures(wb: Workbench) -> HubFigures:
    now = wb.clock()
    today = now.astimezone(VIETNAM).date()
    since = datetime.combine(today, datetime.min.time(), VIETNAM)
    engine = wb.hub.engine
    activity = await anyio.to_thread.run_sync(hub_activity, engine, since)
    target = TARGETS.get(wb.web.registry.rsplit("-", 1)[0], NATIONAL)
    released = _released_today(wb, today)
    rows = [
        TierRow(
            tier.value,
            activity.tiers.get(tier.value, TierActivity()),
            *released.get(tier.value, (0, 0)),
            target.of(tier.value),
        )
        for tier in TIER_ORDER
    ]
    policy = wb.hub.settings.signature_policy
    return HubFigures(today, rows, activity, await _audit_state(wb), target, policy)


def _released_today(wb: Workbench, today: date) -> dict[str, tuple[int, int]]:
    """Per tier of the sender: (documents released today, of which the hub carried)."""
    counts: dict[str, tuple[int, int]] = {}
    for code in wb.books.agencies():
        agency = wb.directory.get(code)
        if agency is None:
            continue
        for draft in wb.books.read(code).outgoing:
            if draft.sent_at is None or draft.sent_at.astimezone(VIETNAM).date() != today:
                continue
            released, electronic = counts.get(agency.tier.value, (0, 0))
            counts[agency.tier.value] = (released + 1, electronic + (draft.stage == "sent"))
    return counts


async def _audit_state(wb: Workbench) -> AuditState:
    """Walked again at most every few seconds: the walk reads the whole log."""
    at, state = wb.cache.get("audit", (0.0, None))
    if isinstance(state, AuditState) and time.monotonic() - at < _AUDIT_CACHE_SECONDS:
        return state
    count, broken = await anyio.to_thread.run_sync(verify_audit_chain, wb.hub.engine)
    fresh = AuditState(count, broken.seq if broken else None, wb.clock())
    wb.cache["audit"] = (time.monotonic(), fresh)
    return fresh
