"""Shares of a distributed replay, pure: the workers connected at the start are numbered in
the order they came, each plays one partition of as many as there are workers, and nothing
outside the assignment plays; the run is over only when every partition's part has arrived
and played to the end."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from loadtests.replay.merge import merge, read_parts, workers_of
from loadtests.replay.params import ReplayParams, replay_events
from loadtests.replay.shares import Share, assign, share_of, write_part

PARAMS = ReplayParams("ninh-binh", "7", 200, 2_000_000.0, 20_000_000.0)


def test_each_connected_worker_gets_its_own_partition_of_as_many_as_there_are() -> None:
    assignment = assign(["b_2", "a_1", "c_3"])
    shares = [share_of(assignment, node) for node in ("b_2", "a_1", "c_3")]
    assert shares == [Share(0, 3), Share(1, 3), Share(2, 3)]


def test_a_node_outside_the_assignment_plays_nothing() -> None:
    assert share_of(assign(["a"]), "late") is None
    assert share_of("", "a") is None  # before the master assigned anything


def test_a_node_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="named twice"):
        assign(["a", "a"])


def test_the_shares_cover_the_schedule_once() -> None:
    """Two workers' partitions: every send of the whole schedule in exactly one of them."""

    def sends(events: Any) -> Counter[str]:
        return Counter(e.document.document_id for e in events if e.kind.value == "send")

    whole = sends(replay_events(PARAMS))
    halves = [sends(replay_events(PARAMS, index, 2)) for index in range(2)]
    assert all(halves) and halves[0] + halves[1] == whole
    assert not set(halves[0]) & set(halves[1])


def _part(partition: int, node: str, *, exhausted: bool, partitions: int = 2) -> str:
    gauges = {"exhausted": float(exhausted), "partitions": float(partitions)}
    series = {"documents": {"0": 3}, "requests": {"0": 10}}
    worker = {"partition": partition, "node": node}
    empty: dict[str, Any] = {}
    return json.dumps(
        {
            "started": 100.0,
            "latency": empty,
            "service": empty,
            "series": series,
            "errors": empty,
            "hours": empty,
            "pairs": empty,
            "gauges": gauges,
            "worker": worker,
        }
    )


def test_the_run_is_not_over_until_every_partition_has_played_to_the_end(tmp_path: Path) -> None:
    write_part(tmp_path, 0, _part(0, "a", exhausted=True))
    assert not merge(read_parts(tmp_path)).exhausted  # partition 1 has not reported yet
    write_part(tmp_path, 1, _part(1, "b", exhausted=False))
    assert not merge(read_parts(tmp_path)).exhausted
    write_part(tmp_path, 1, _part(1, "b", exhausted=True))
    merged = merge(read_parts(tmp_path))
    assert merged.exhausted and merged.partitions == 2 and merged.total("documents") == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-0.json", "part-1.json"]


def test_each_part_says_which_worker_played_it(tmp_path: Path) -> None:
    write_part(tmp_path, 1, _part(1, "b", exhausted=True))
    write_part(tmp_path, 0, _part(0, "a", exhausted=False))
    rows = workers_of(read_parts(tmp_path))
    assert [(r["partition"], r["node"], r["documents"], r["exhausted"]) for r in rows] == [
        (0, "a", 3, False),
        (1, "b", 3, True),
    ]
