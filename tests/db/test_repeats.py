"""The tally of repeated audit entries: pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from exchange.db.repeats import RepeatTally
from exchange.domain.audit import AuditEntry

T0 = datetime(2018, 5, 2, 9, 15, tzinfo=UTC)
WINDOW = timedelta(seconds=60)


def _refused(seconds: float, code: str = "auth_signature_invalid") -> AuditEntry:
    return AuditEntry("refused", T0 + timedelta(seconds=seconds), "sys", None, {"code": code})


def test_the_first_is_recorded_at_once_and_the_repeats_are_counted() -> None:
    tally = RepeatTally(WINDOW)
    (first,) = tally.admit("k", _refused(0))
    assert first.detail == {"code": "auth_signature_invalid", "count": 1}
    assert all(tally.admit("k", _refused(n / 10)) == [] for n in range(1, 500))
    assert tally.next_close() == T0 + WINDOW
    assert tally.due(T0 + WINDOW - timedelta(seconds=1)) == []
    (counted,) = tally.due(T0 + WINDOW)
    assert counted.detail["count"] == 499 and counted.at == T0 + timedelta(seconds=49.9)
    assert counted.detail["since"] == T0.isoformat()
    assert tally.next_close() is None


def test_another_key_is_recorded_on_its_own() -> None:
    tally = RepeatTally(WINDOW)
    tally.admit("k", _refused(0))
    (other,) = tally.admit("other", _refused(1, "auth_system_unknown"))
    assert other.detail["code"] == "auth_system_unknown"


def test_a_repeat_after_the_window_opens_a_new_one_and_brings_the_old_count() -> None:
    tally = RepeatTally(WINDOW)
    tally.admit("k", _refused(0))
    tally.admit("k", _refused(1))
    tally.admit("k", _refused(2))
    counted, first = tally.admit("k", _refused(61))
    assert (counted.detail["count"], first.detail["count"]) == (2, 1)


def test_a_window_without_repeats_leaves_nothing_to_record() -> None:
    tally = RepeatTally(WINDOW)
    tally.admit("k", _refused(0))
    assert tally.next_close() is None
    assert tally.due(T0 + 2 * WINDOW) == [] and tally.drain() == []


def test_drain_records_every_open_count() -> None:
    tally = RepeatTally(WINDOW)
    for key in ("a", "b"):
        tally.admit(key, _refused(0))
        tally.admit(key, _refused(1))
    assert [e.detail["count"] for e in tally.drain()] == [1, 1]
    assert tally.drain() == []


def test_keys_past_the_limit_share_one_overflow_window() -> None:
    """A flood that varies what it claims still costs O(1) records per window."""
    tally = RepeatTally(WINDOW, max_keys=3)
    recorded = [e for n in range(1000) for e in tally.admit(f"k{n}", _refused(n / 100))]
    assert len(recorded) == 3 + 1  # three keys, then the overflow window's first
    assert "overflow" in recorded[-1].detail
    (overflow,) = tally.drain()
    assert overflow.detail["count"] == 1000 - 4
