"""Who plays which share of the schedule, and where each share's measurements land. Pure.

At the test's start the master (or a lone Locust process) numbers the workers connected then,
in the order they connected: that count is the number of partitions (`partition` by system),
and each worker plays the one with its number, so nothing is sent twice and nothing skipped.
A worker that joins later, or a second user on one worker, plays nothing. Each worker sends
what it measured to the master, which keeps it as `<out>/part-<partition>.json`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LOCAL", "Share", "assign", "part_path", "share_of", "write_part"]

LOCAL = "local"  # the node id of a Locust process running alone (its messages come from it)


@dataclass(frozen=True, slots=True)
class Share:
    partition: int
    partitions: int


def assign(nodes: Sequence[str]) -> str:
    """The assignment as the JSON text shipped to the workers: node id -> partition."""
    if len(set(nodes)) != len(nodes):
        raise ValueError(f"a node is named twice: {list(nodes)}")
    return json.dumps({node: index for index, node in enumerate(nodes)})


def share_of(assignment: str, node: str) -> Share | None:
    """The node's share of the schedule, or None when it has none."""
    numbers: dict[str, int] = json.loads(assignment) if assignment else {}
    if node not in numbers:
        return None
    return Share(numbers[node], len(numbers))


def part_path(folder: Path, partition: int) -> Path:
    return folder / f"part-{partition}.json"


def write_part(folder: Path, partition: int, text: str) -> Path:
    """Replace the part atomically: the parent reads these files while they are rewritten."""
    path = part_path(folder, partition)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path
