"""`eoffice capacity --preload-history`: the hub every step starts from holds the profile's
history up to step 1's week (at full scale, as `eoffice loadtest --preload-history` loads it):
the template every fresh hub copies, or the database the steps share."""

from __future__ import annotations

from typing import Any

from loadtests.capacity.ladder import Plan
from loadtests.capacity.peak import ProfileDays
from loadtests.capacity.steps import Hubs
from loadtests.replay.history import preload_history
from loadtests.replay.params import ReplayParams

__all__ = ["preload_hubs"]


def preload_hubs(days: ProfileDays, hubs: Hubs, plan: Plan) -> dict[str, Any]:
    """Load the history before step 1's week into the seeded hubs; what was loaded."""
    assert hubs.data is not None and (hubs.url or hubs.template), "Hubs.prepare() first"
    first, last = days.replay_window(plan.first_week)
    params = ReplayParams(
        plan.profile, plan.seed, None, 1.0, 1.0, first.isoformat(), last.isoformat()
    )
    url = hubs.url or f"sqlite:///{hubs.template.resolve() if hubs.template else ''}"
    return preload_history(params, url, hubs.data, plan.root / "template")
