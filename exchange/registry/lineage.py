"""Which 2019 unit a 2025 unit continues, read from the 2025 mapping's `merges`.

A 2025 unit continues the old unit whose GSO id it kept (`Phường Ba Đình`, 00004, continues
`Phường Trúc Bạch`, 00004), or, keeping none, the one old unit it is the whole of (`Đặc khu
Côn Đảo`, 26732, is all of `Huyện Côn Đảo`, 755). Its `old_code` is that unit's 2019 code; none
when neither holds or when the old unit is not in the 2019 data (created after 12/2019).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from exchange.registry.admin import Merge

__all__ = ["continued"]


def continued(gso_id: str, merges: Sequence[Merge], codes: Mapping[str, str]) -> str | None:
    """The 2019 code of the unit `gso_id` continues, or None; `codes`: 2019 code by GSO id."""
    kept = next((m for m in merges if m.old_id == gso_id), None)
    if kept is None and len(merges) == 1 and merges[0].kind == "full":
        kept = merges[0]
    return codes.get(kept.old_id) if kept else None
