"""The schedule: deterministic, lazy, ordered, on the working calendar, true to the profile's
volume, shares, broadcasts and numbering; split between workers without loss."""

from __future__ import annotations

import itertools
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from exchange.domain.agencies import Tier
from exchange.domain.status import StatusCode, transition
from exchange.protocol.compose import document_id
from exchange.registry import Registry
from loadtests.profiles import Profile, load_profile, load_registries
from loadtests.schedule import (
    ICT,
    Compression,
    Event,
    EventKind,
    daily_rate,
    fit_compression,
    partition,
    schedule,
)
from loadtests.schedule.calendar import DayKind
from loadtests.schedule.frame import frame
from loadtests.schedule.summary import Tally

SEND, STATUS, POLL = EventKind.SEND, EventKind.STATUS, EventKind.POLL
CODES = {code.value for code in StatusCode}
Setup = tuple[Profile, tuple[Registry, ...]]


@pytest.fixture(scope="module")
def ninh_binh() -> Setup:
    profile = load_profile("ninh-binh")
    return profile, load_registries(profile)


def _events(setup: Setup, seed: int = 1, **options: Any) -> Iterator[Event]:
    profile, registries = setup
    return schedule(profile, registries, seed=seed, **options)


@pytest.fixture(scope="module")
def scaled(ninh_binh: Setup) -> list[Event]:
    """The whole period, scaled down to 20,000 documents, without polls."""
    return list(_events(ninh_binh, documents=20_000, polls=False))


def _sends(events: list[Event]) -> list[Event]:
    return [e for e in events if e.kind is SEND]


def test_the_same_seed_gives_the_same_stream(ninh_binh: Setup) -> None:
    week = {"end": date(2016, 9, 3)}
    first, again = list(_events(ninh_binh, 7, **week)), list(_events(ninh_binh, 7, **week))
    other = list(_events(ninh_binh, 8, **week))
    assert len(first) > 10_000 and first == again
    assert [e.document for e in _sends(first)] != [e.document for e in _sends(other)]


def test_the_full_schedule_starts_at_once(ninh_binh: Setup) -> None:
    began = time.perf_counter()
    head = list(
        itertools.islice(_events(ninh_binh, compression=fit_compression(ninh_binh[0], 3600)), 1000)
    )
    assert len(head) == 1000 and time.perf_counter() - began < 3.0


def _peak_memory(events: Iterator[Event]) -> int:
    tracemalloc.start()
    try:
        for _ in events:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_period(ninh_binh: Setup) -> None:
    dense = {"documents": 5_000, "polls": False}
    quarter = _peak_memory(_events(ninh_binh, end=date(2016, 11, 30), **dense))
    whole = _peak_memory(_events(ninh_binh, **dense))  # seven times as many events
    assert whole < 1.5 * quarter + 2_000_000


def test_events_are_in_time_order(scaled: list[Event]) -> None:
    assert all(a.at <= b.at and a.wall <= b.wall for a, b in itertools.pairwise(scaled))


def test_the_total_is_the_profile_volume(ninh_binh: Setup, scaled: list[Event]) -> None:
    profile = ninh_binh[0]
    assert len(_sends(scaled)) == pytest.approx(20_000, rel=0.03)
    window = frame(profile)
    weights = sum(window.calendar.weight(window.first + (d - window.first)) for d in _days(profile))
    assert daily_rate(profile) * weights == pytest.approx(1_300_000)


def _days(profile: Profile) -> list[date]:
    return [
        date.fromordinal(n) for n in range(profile.start.toordinal(), profile.end.toordinal() + 1)
    ]


def test_no_sends_on_holidays_few_on_weekends(ninh_binh: Setup, scaled: list[Event]) -> None:
    calendar = frame(ninh_binh[0]).calendar
    per_kind = Counter(calendar.kind(e.at.date()) for e in _sends(scaled))
    days = Counter(calendar.kind(d) for d in _days(ninh_binh[0]))
    assert per_kind[DayKind.HOLIDAY] == 0 and calendar.kind(date(2017, 1, 28)) is DayKind.HOLIDAY
    weekend = per_kind[DayKind.WEEKEND] / days[DayKind.WEEKEND]
    assert weekend < 0.06 * per_kind[DayKind.WORKING] / days[DayKind.WORKING]


def test_office_hours_with_late_morning_and_late_afternoon_peaks(scaled: list[Event]) -> None:
    hours = Counter(e.at.hour for e in _sends(scaled))
    total = sum(hours.values())
    assert hours[10] > 1.3 * hours[8] and hours[15] + hours[16] > 1.3 * (hours[13] + hours[14])
    outside = sum(n for h, n in hours.items() if h < 7 or h >= 18 or h == 12)
    assert outside < 0.03 * total


def test_clerks_answer_in_office_hours(ninh_binh: Setup, scaled: list[Event]) -> None:
    calendar, hours = frame(ninh_binh[0]).calendar, ninh_binh[0].calendar.office_hours
    for event in scaled:
        if event.kind is STATUS and event.code in {"02", "03", "04", "05", "06"}:
            second = event.at.hour * 3600 + event.at.minute * 60 + event.at.second
            assert calendar.is_working(event.at.date()), event
            assert any(start <= second <= end for start, end in hours), event


def test_month_ends_are_busier(ninh_binh: Setup, scaled: list[Event]) -> None:
    calendar = frame(ninh_binh[0]).calendar
    per_day = Counter(e.at.date() for e in _sends(scaled))
    working = [d for d in _days(ninh_binh[0]) if calendar.is_working(d)]
    burst = [per_day[d] for d in working if calendar.burst(d) > 1]
    plain = [per_day[d] for d in working if calendar.burst(d) == 1]
    assert sum(burst) / len(burst) > 1.2 * sum(plain) / len(plain)


def test_electronic_share_per_tier_pair_follows_the_profile() -> None:
    profile = load_profile("ha-tinh")
    tally = Tally(profile)
    for event in schedule(profile, load_registries(profile), seed=3, documents=30_000, polls=False):
        tally.add(event)
    for (era, pair), count in tally.pairs.items():
        wanted = profile.era(era).shares[next(f.pair for f in profile.flows if str(f.pair) == pair)]
        if count.documents >= 300:
            assert count.share == pytest.approx(wanted, abs=0.06), (era, pair)
    assert len({era for era, _ in tally.pairs}) == 2


def test_broadcasts_reach_every_commune(ninh_binh: Setup, scaled: list[Event]) -> None:
    agencies = [a for r in ninh_binh[1] for a in r.agencies]
    communes = {a.code for a in agencies if a.tier is Tier.COMMUNE}
    under = defaultdict(set)
    for agency in agencies:
        under[agency.parent].add(agency.code)
    broadcasts = [e.document for e in _sends(scaled) if e.document and e.document.broadcast]
    to_communes = [d for d in broadcasts if d.pair == "province>commune"]
    assert to_communes and all(set(d.recipients) == communes for d in to_communes)
    assert len(communes) == 145
    district = [d for d in broadcasts if d.pair == "district>commune"]
    assert district and all(set(d.recipients) == under[d.sender] for d in district)


def test_numbers_run_from_one_each_year(ninh_binh: Setup) -> None:
    window = _events(
        ninh_binh, start=date(2016, 12, 28), end=date(2017, 1, 6), polls=False, documents=60_000
    )
    numbers: defaultdict[tuple[str, int], list[int]] = defaultdict(list)
    for event in window:
        document = event.document
        if event.kind is SEND and document:
            numbers[(document.sender, document.sent_at.year)].append(document.number)
            on = document.sent_at
            expected = document_id(document.sender, on, document.number, document.notation)
            assert document.document_id == expected
    for (_, year), issued in numbers.items():
        assert issued == list(range(issued[0], issued[0] + len(issued)))
        assert year == 2016 or issued[0] == 1
    assert any(year == 2016 and issued[0] > 1 for (_, year), issued in numbers.items())


def test_a_later_start_replays_the_same_events(ninh_binh: Setup) -> None:
    start = datetime(2016, 9, 7, 9, 0, tzinfo=ICT)
    full = _events(ninh_binh, end=date(2016, 9, 8))
    tail = list(_events(ninh_binh, start=start, end=date(2016, 9, 8)))
    expected = [
        e for e in full if e.at >= start and (e.document is None or e.document.sent_at >= start)
    ]
    strip = [(e.at, e.kind, e.system, e.code, e.document) for e in expected]
    assert strip == [(e.at, e.kind, e.system, e.code, e.document) for e in tail]
    assert tail[0].wall == pytest.approx((tail[0].at - start).total_seconds())  # uncompressed


def test_statuses_follow_the_state_machine(scaled: list[Event]) -> None:
    said: dict[tuple[str, str], StatusCode | None] = {}
    for event in scaled:
        if event.kind is STATUS and event.document and event.code in CODES:
            assert event.at >= event.document.sent_at
            if event.code in {"13", "15", "16"}:
                continue
            key = (event.document.document_id, event.agency or "")
            said[key] = transition(said.get(key), StatusCode(event.code))
    codes = Counter(e.code for e in scaled if e.kind is STATUS)
    assert codes["01"] > codes["03"] > codes["06"] > codes["02"] > 0


def test_paper_documents_get_no_statuses(scaled: list[Event]) -> None:
    paper = {
        e.document.document_id for e in _sends(scaled) if e.document and not e.document.electronic
    }
    answered = {e.document.document_id for e in scaled if e.kind is STATUS and e.document}
    assert paper and not paper & answered


def test_partition_gives_every_event_to_exactly_one_worker(
    ninh_binh: Setup,
) -> None:
    events = list(_events(ninh_binh, end=date(2016, 9, 3)))
    parts = [list(partition(iter(events), index, 3)) for index in range(3)]
    assert sorted(id(e) for part in parts for e in part) == sorted(id(e) for e in events)
    owners = {e.system: i for i, part in enumerate(parts) for e in part}
    assert all(owners[e.system] == i for i, part in enumerate(parts) for e in part)
    assert {e.kind for e in events} == {SEND, STATUS, POLL}
    with pytest.raises(ValueError, match="worker 3 of 3"):
        list(partition(iter(events), 3, 3))


def test_compression_squeezes_nights_harder(ninh_binh: Setup) -> None:
    window = frame(ninh_binh[0])
    clock, squeeze = window.clock, Compression(office=100.0, off_hours=1000.0)
    morning = 7.5 * 3600  # 2016-09-01 (Thursday), 07:30
    assert clock.wall(morning, squeeze) == pytest.approx(morning / 1000)
    assert clock.wall(morning + 4 * 3600, squeeze) - clock.wall(morning, squeeze) == 144.0
    saturday = 2 * 86400.0
    assert clock.wall(saturday + 86400, squeeze) - clock.wall(saturday, squeeze) == pytest.approx(
        86.4
    )
    fitted = fit_compression(ninh_binh[0], 3600)
    assert clock.wall(clock.end, fitted) == pytest.approx(3600)
    assert fitted.off_hours == pytest.approx(10 * fitted.office)


def test_bad_arguments_are_refused(ninh_binh: Setup) -> None:
    with pytest.raises(ValueError, match="documents must be"):
        _events(ninh_binh, documents=-1)
    with pytest.raises(ValueError, match="outside"):
        _events(ninh_binh, start=date(2015, 1, 1))
    with pytest.raises(ValueError, match="above 0"):
        Compression(0.0, 1.0)


def test_the_command_line_summarises_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    from loadtests.schedule.__main__ import main

    main(["ninh-binh", "--documents", "3000", "--end", "2016-09-30", "--wall", "60", "--show", "1"])
    printed = capsys.readouterr().out
    assert "Event(at=" in printed and "documents: " in printed and "events/s" in printed
    assert "province>commune" in printed and "(profile 85%)" in printed
