"""Walk the stored audit chain: the first record that does not hold, and what the anchors
kept outside the database say was cut from its end or re-sealed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from exchange.db.anchors import Anchor, AnchorRead, read_anchors
from exchange.db.repos.audit import AuditRepository
from exchange.domain.audit import AuditRecord, first_broken

__all__ = ["AuditVerdict", "Cut", "Rewrite", "judge", "verify_audit", "verify_audit_chain"]


@dataclass(frozen=True, slots=True)
class Cut:
    """Records an anchor saw that the chain no longer has: `first`..`last`."""

    first: int
    last: int
    anchor: Anchor  # the newest anchor, which saw record `last`


@dataclass(frozen=True, slots=True)
class Rewrite:
    """An anchored head whose record now has another hash: the chain was rewritten and
    re-sealed after `holds` (the newest anchor before it that still matches, None: from the
    first record) and at or before `anchor`."""

    anchor: Anchor
    holds: Anchor | None


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    records: int  # records read
    head: int  # the last record's seq
    broken: AuditRecord | None  # the first record whose link or hash does not hold
    anchors: AnchorRead
    holds: Anchor | None  # the newest anchor the chain still matches
    rewritten: Rewrite | None
    cut: Cut | None

    @property
    def intact(self) -> bool:
        clean = self.broken is None and self.rewritten is None and self.cut is None
        return clean and not self.anchors.forged

    @property
    def unanchored(self) -> int:
        """Records after the newest anchor that holds: a cut there would not show."""
        return self.head - (self.holds.seq if self.holds else 0)


def verify_audit_chain(engine: Engine) -> tuple[int, AuditRecord | None]:
    """(records read, the first broken record or None): the chain alone, without anchors."""
    with engine.connect() as connection:
        walk = _Observed(AuditRepository(connection).walk(), set())
        broken = first_broken(walk)
    return walk.seen, broken


def verify_audit(engine: Engine, anchor_folder: Path) -> AuditVerdict:
    """The chain, and the anchors in `anchor_folder` checked against it."""
    anchors = read_anchors(anchor_folder)
    with engine.connect() as connection:
        walk = _Observed(AuditRepository(connection).walk(), {a.seq for a in anchors.anchors})
        broken = first_broken(walk)
    limit = walk.head if broken is None else broken.seq - 1
    holds, rewritten, cut = judge(anchors.anchors, walk.hashes, limit, cut_beyond=broken is None)
    return AuditVerdict(walk.seen, walk.head, broken, anchors, holds, rewritten, cut)


def judge(
    anchors: Sequence[Anchor], hashes: Mapping[int, str], head: int, *, cut_beyond: bool = True
) -> tuple[Anchor | None, Rewrite | None, Cut | None]:
    """Anchors against the chain as read (`hashes` by seq, up to record `head`): the newest
    that holds, the first that no longer matches, the records anchored beyond the end."""
    holds: Anchor | None = None
    rewritten: Rewrite | None = None
    cut: Cut | None = None
    for anchor in sorted(anchors, key=lambda a: (a.seq, a.line)):
        if anchor.seq > head:
            cut = Cut(head + 1, anchor.seq, anchor) if cut_beyond else cut
        elif hashes.get(anchor.seq) != anchor.hash:
            rewritten = rewritten or Rewrite(anchor, holds)
        elif rewritten is None:
            holds = anchor
    return holds, rewritten, cut


class _Observed(Iterator[AuditRecord]):
    """Passes the records on, noting how many, the last seq and the hashes at `wanted`."""

    def __init__(self, records: Iterable[AuditRecord], wanted: set[int]) -> None:
        self._records = iter(records)
        self._wanted = wanted
        self.seen = 0
        self.head = 0
        self.hashes: dict[int, str] = {}

    def __next__(self) -> AuditRecord:
        record = next(self._records)
        self.seen += 1
        self.head = record.seq
        if record.seq in self._wanted:
            self.hashes[record.seq] = record.hash
        return record
