"""`eoffice capacity`: the busiest hour, the step measurement, the ladder, the answer in
provinces (pure), and one short search end to end. No timing is asserted: the end-to-end run
sets limits no step can break, and checks what the command prints and writes.

The end-to-end run is a subprocess: the replay's Locust must not patch this process.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from loadtests.capacity.ladder import Ladder, Limits, Step, best, judge, provinces
from loadtests.capacity.measure import StepFigures, measure
from loadtests.capacity.peak import PeakHour, ProfileDays, busiest_hour, heaviest, weeks
from loadtests.capacity.run import even_ratio
from loadtests.capacity.text import answer, answer_json, place, row
from loadtests.profiles import load_profile, load_registries
from loadtests.replay.merge import merge
from loadtests.replay.recorder import Recorder
from loadtests.schedule import ICT, EventKind, schedule
from tests.loadtests.support import eoffice

PEAK = PeakHour(datetime(2016, 12, 30, 10, tzinfo=ICT), 720)  # 0.2 documents/s


@pytest.fixture(scope="module")
def days() -> ProfileDays:
    profile = load_profile("ninh-binh")
    return ProfileDays(profile, load_registries(profile), "1")


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2017, 3, day, hour, minute, tzinfo=ICT)


def _figures(p99: float = 50.0, errors: int = 0, accepted: int = 300) -> StepFigures:
    p99_ms = {"sendEdoc edoc": 20.0, "getEdoc": p99}
    return StepFigures(30.0, 300, accepted, 6000, errors, p99_ms, {"sendEdoc edoc": 19.0})


def _step(number: int, compression: float, held: bool = True) -> Step:
    figures = _figures(accepted=int(10 * compression))
    return Step(number, compression, Path(f"step-{number:02d}"), figures, () if held else ("x",))


def _steps(*tried: tuple[float, bool]) -> list[Step]:
    return [_step(i + 1, c, held) for i, (c, held) in enumerate(tried)]


# -- the busiest hour and the replayed days


def test_the_busiest_hour_is_the_clock_hour_with_the_most_documents() -> None:
    sent = [_at(1, 9, 5), _at(1, 10, 0), _at(1, 10, 59), _at(2, 10, 30), _at(2, 10, 31)]
    assert busiest_hour(sent) == PeakHour(_at(1, 10, 0), 2)  # the earlier of two equal hours
    assert busiest_hour([*sent, _at(2, 10, 45)]) == PeakHour(_at(2, 10, 0), 3)
    assert busiest_hour([]) is None
    assert PeakHour(_at(2, 10, 0), 3).label() == "2017-03-02 10:00-11:00 ICT"


def test_the_peak_is_searched_on_the_heaviest_days(days: ProfileDays) -> None:
    calendar = days.window.calendar
    december = [date(2017, 12, d) for d in range(1, 32)]
    found = heaviest(calendar, december)
    assert found and all(calendar.weight(d) == 1.6 for d in found)  # the year-end burst
    assert date(2017, 12, 29) in found and date(2017, 12, 4) not in found


def test_a_week_is_five_working_days_in_a_row(days: ProfileDays) -> None:
    september = [date(2016, 9, 1) + timedelta(days=i) for i in range(30)]
    # 1 September is a Thursday and 2 September the national day: the first week is the 5th's
    assert list(weeks(days.window.calendar, september)) == [
        date(2016, 9, 5),
        date(2016, 9, 12),
        date(2016, 9, 19),
        date(2016, 9, 26),
    ]
    assert days.replay_window() == (date(2016, 9, 5), date(2016, 9, 11))
    assert days.replay_window(4)[0] >= date(2017, 1, 1)  # then the weeks of January


def test_the_days_are_the_schedules_days(days: ProfileDays) -> None:
    day = date(2016, 9, 6)
    replayed = schedule(days.profile, load_registries(days.profile), seed="1", start=day, end=day)
    sent = [
        e.at
        for e in replayed
        if e.kind is EventKind.SEND and e.document is not None and e.document.electronic
    ]
    assert sorted(days.sent(day)) == sorted(sent) and len(sent) > 100


def test_the_profiles_busiest_hour(days: ProfileDays) -> None:
    peak = days.peak()
    assert days.window.calendar.weight(peak.start.date()) == 1.6
    assert 7 <= peak.start.hour <= 16 and peak.start.minute == 0
    ordinary = busiest_hour(days.sent(date(2016, 9, 6)))
    assert ordinary is not None and peak.documents > ordinary.documents > 0


def test_off_hours_are_played_at_the_office_base_rates_pace() -> None:
    assert even_ratio(load_profile("ninh-binh")) == 100.0  # off hours at 1% of the base rate
    assert place(load_profile("ninh-binh")) == "Ninh Bình"


# -- a step's figures


def _part(started: float, requests: list[tuple[float, float]], saved: float) -> dict[str, object]:
    recorder = Recorder(started=started)
    for intended, end in requests:
        recorder.request("getEdoc edoc", intended, intended, end, "")
        recorder.document("2016-09-01|province>province", 9, True, intended)
        recorder.accepted("2016-09-01|province>province", 9, end, 1)
    recorder.gauges["saved"] = saved
    return recorder.to_json()


def test_a_step_is_measured_after_its_warmup_and_up_to_its_cut() -> None:
    slow = [(100.0 + i * 0.1, 102.0 + i * 0.1) for i in range(10)]  # 2 s late, in the warm-up
    fast = [(110.0 + i * 0.1, 110.01 + i * 0.1) for i in range(50)]  # 10 ms, measured
    after = [(125.0, 125.01)]  # past the cut
    earlier = merge([_part(100.0, slow, saved=107.5)])
    later = merge([_part(100.0, [*slow, *fast, *after], saved=126.0)])
    figures = measure(earlier, later, cut=20.0)
    assert figures.seconds == 13.0  # from the second the reading was saved in, to the cut
    assert (figures.planned, figures.accepted, figures.requests) == (50, 50, 50)
    assert 9.9 <= figures.p99_ms["getEdoc edoc"] <= 10.1  # the warm-up's 2 s are left out
    assert figures.service_p99_ms == figures.p99_ms  # each request started when intended
    assert figures.keep_up == 1.0 and figures.error_rate == 0.0
    assert figures.achieved_per_s == pytest.approx(50 / 13)


def test_without_a_warmup_reading_the_whole_run_counts() -> None:
    later = merge([_part(100.0, [(100.0, 102.0), (101.0, 101.01)], saved=103.0)])
    figures = measure(merge([]), later, cut=5.0)
    assert figures.seconds == 5.0 and figures.requests == 2
    assert figures.p99_ms["getEdoc edoc"] >= 1999


# -- when a step breaks, and the ladder


def test_a_step_breaks_on_p99_errors_or_falling_behind() -> None:
    limits = Limits(max_p99_ms=1000, max_error_rate=0.01, min_keep_up=0.95)
    assert judge(_figures(), limits) == ()
    assert judge(_figures(p99=1500), limits) == ("getEdoc: p99 1500.0 ms > 1000",)
    (errors,) = judge(_figures(errors=600), limits)
    assert errors.startswith("error rate 0.1000 > 0.01")
    (behind,) = judge(_figures(accepted=240), limits)
    assert behind.startswith("kept up with 80.0% of the planned documents (8.0 of 10.0/s)")
    assert _figures().worst == ("getEdoc", 50.0)
    assert _figures().worst_service == ("sendEdoc edoc", 19.0)


def _climb(ladder: Ladder, holds: float) -> list[float]:
    """The compressions tried against a hub that holds up to `holds`."""
    steps: list[Step] = []
    while (compression := ladder.next(steps)) is not None:
        steps.append(_step(len(steps) + 1, compression, held=compression <= holds))
    return [s.compression for s in steps]


def test_the_ladder_doubles_until_a_break_then_bisects() -> None:
    tried = _climb(Ladder(10.0, factor=2.0, refine=2, max_steps=10), holds=50.0)
    assert tried[:4] == [10.0, 20.0, 40.0, 80.0]
    assert tried[4] == pytest.approx((40 * 80) ** 0.5)  # 56.6: broke
    assert tried[5] == pytest.approx((40 * tried[4]) ** 0.5)  # 47.6: held
    assert len(tried) == 6


def test_the_ladder_stops_at_a_first_break_at_max_steps_and_on_a_failure() -> None:
    assert _climb(Ladder(10.0), holds=5.0) == [10.0]
    assert _climb(Ladder(10.0, max_steps=3), holds=1e9) == [10.0, 20.0, 40.0]
    failed = Step(2, 20.0, Path("step-02"), None, ("the hub did not become healthy",))
    assert Ladder(10.0).next([_step(1, 10.0), failed]) is None
    with pytest.raises(ValueError):
        Ladder(10.0, factor=1.0)


# -- the answer


def test_the_answer_is_the_best_step_that_held_in_provinces() -> None:
    steps = _steps((10.0, True), (20.0, True), (40.0, False), (28.3, True), (33.6, False))
    top = best(steps)
    assert top is not None and top.compression == 28.3  # 283 documents / 30 s
    assert provinces(9.5, PEAK) == pytest.approx(47.5)
    lines = answer(steps, PEAK, "Ninh Bình")
    assert lines == [
        "highest sustainable: 9.4 documents/s, 200 requests/s (step 4, compression 28.3)",
        "= 47 provinces like Ninh Bình at their busiest hour (720 electronic documents/h, "
        "2016-12-30 10:00-11:00 ICT; 9.4 / 0.200 = 47.2)",
    ]
    found = answer_json(steps, PEAK)
    assert found is not None and found["step"] == 4 and not found["at_least"]


def test_an_answer_without_a_break_above_it_is_a_floor() -> None:
    lines = answer(_steps((10.0, True), (20.0, True)), PEAK, "Ninh Bình")
    assert lines[0].startswith("highest sustainable: at least 6.7 documents/s")
    assert lines[1].startswith("= at least 33 provinces like Ninh Bình")
    assert "no step broke" in lines[2]


def test_when_the_first_step_breaks_there_is_no_answer() -> None:
    steps = _steps((10.0, False))
    lines = answer(steps, PEAK, "Ninh Bình")
    assert lines[0].startswith("no sustainable rate: even the first step (compression 10.0")
    assert best(steps) is None and answer_json(steps, PEAK) is None


def test_a_table_row_names_the_worst_call_and_the_verdict() -> None:
    held, broke = _steps((10.0, True), (20.0, False))
    assert row(held).split()[-7:] == ["50", "ms", "getEdoc", "19", "ms", "0.00%", "held"]
    assert row(broke).endswith("BROKE: x")


@pytest.mark.parametrize("name", ["ladder", "measure", "peak", "run", "steps", "text"])
def test_public_names_exist(name: str) -> None:
    module = importlib.import_module(f"loadtests.capacity.{name}")
    assert all(hasattr(module, n) for n in module.__all__)


# -- end to end


def _unbreakable(folder: Path) -> Sequence[str]:
    return (
        *("--compress-from", "20", "--step-seconds", "3", "--warmup", "2", "--max-steps", "2"),
        *("--max-p99-ms", "1e9", "--max-error-rate", "1", "--min-keep-up", "0"),
        *("--report", str(folder)),
    )


def test_a_short_search_prints_an_answer_and_writes_capacity_json(tmp_path: Path) -> None:
    done = eoffice("capacity", *_unbreakable(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("busiest hour: 2016-12-30 ") for line in lines)
    assert [line.split()[:2] for line in lines if line.endswith(" held")] == [
        ["1", "20.0"],
        ["2", "40.0"],
    ]
    assert "highest sustainable: at least " in done.stdout
    assert "provinces like Ninh Bình at their busiest hour" in done.stdout
    found = json.loads((tmp_path / "capacity.json").read_text())
    assert [s["compression"] for s in found["steps"]] == [20.0, 40.0]
    assert all(s["held"] and s["requests"] > 0 for s in found["steps"])
    assert found["answer"]["at_least"] and found["answer"]["step"] in (1, 2)
    assert found["busiest_hour"]["documents"] > 0 and found["replay"]["ratio"] == 100.0
    for step in ("step-01", "step-02"):
        assert (tmp_path / step / "report.json").is_file()
        assert not (tmp_path / step / "hub.db").exists()  # each step's copy is removed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--step", "1"), "--step must be above 1"),
        (("--host", "http://127.0.0.1:9"), "--host and --credentials go together"),
        (("--profile", "atlantis"), "atlantis"),
    ],
)
def test_bad_arguments_exit_2(args: tuple[str, ...], says: str) -> None:
    done = eoffice("capacity", *args)
    assert done.returncode == 2 and says in done.stderr


def test_a_search_on_a_preloaded_hub_replays_the_last_januarys_weeks(tmp_path: Path) -> None:
    """A profile at 1/1000 of Ninh Bình's volume, so its history loads in seconds."""
    text = (Path("fixtures/profiles/ninh-binh.toml")).read_text(encoding="utf-8")
    small = tmp_path / "ninh-binh.toml"
    small.write_text(text.replace("value = 1_300_000", "value = 1_300"), encoding="utf-8")
    args = [*_unbreakable(tmp_path / "run"), "--max-steps", "1", "--profile", str(small)]
    done = eoffice("capacity", *args, "--preload-history")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "history: " in done.stderr and " status packages loaded in " in done.stderr
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert history["until"].startswith("2018-01-") and history["documents"] > 500
    step = json.loads((tmp_path / "run" / "step-01" / "report.json").read_text())
    assert step["params"]["start"] == history["until"]
