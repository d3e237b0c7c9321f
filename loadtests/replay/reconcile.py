"""Exactly once, checked: the schedule's ledger against the hub's. Pure: two iterables in,
counts out (the hub's side comes from `exchange.db.repos.ledger` through the CLI).

- lost: a scheduled electronic document not on the hub, or a recipient without a delivery;
- duplicated: more than one hub document for one (sender, DocumentId, business type), or two
  deliveries to one recipient;
- stuck: a delivery never acknowledged done (status packages' deliveries included), or a
  scheduled status missing from a delivery's history;
- unexpected: a document on the hub the schedule does not have, a delivery to an agency it
  was not addressed to, a status code the schedule did not send.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from loadtests.replay.expected import ExpectedDocument

__all__ = ["HubDelivery", "HubDocument", "Reconciliation", "reconcile"]

SAMPLES = 5
DONE = "done"


@dataclass(frozen=True, slots=True)
class HubDelivery:
    recipient: str
    state: str  # pending | failed | done
    codes: tuple[str, ...]  # status history, oldest first


@dataclass(frozen=True, slots=True)
class HubDocument:
    sender: str
    document_id: str
    business_type: int
    deliveries: tuple[HubDelivery, ...]

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.sender, self.document_id, self.business_type)


@dataclass(slots=True)
class Reconciliation:
    expected: int = 0  # scheduled electronic documents
    found: int = 0  # of them, on the hub
    counts: Counter[str] = field(default_factory=Counter)  # lost, duplicated, stuck, unexpected
    details: Counter[str] = field(default_factory=Counter)  # what each count is made of
    samples: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str, detail: str, sample: str, count: int = 1) -> None:
        self.counts[kind] += count
        self.details[detail] += count
        found = self.samples.setdefault(detail, [])
        if len(found) < SAMPLES:
            found.append(sample)

    @property
    def clean(self) -> bool:
        return not any(self.counts.values())

    def lines(self) -> list[str]:
        kinds = ("lost", "duplicated", "stuck", "unexpected")
        lines = [f"scheduled electronic documents {self.expected:,}, on the hub {self.found:,}"]
        lines += [f"{kind:<11} {self.counts[kind]:,}" for kind in kinds]
        for detail, count in sorted(self.details.items()):
            lines.append(f"  {detail}: {count:,}  e.g. {'; '.join(self.samples[detail][:2])}")
        return lines


def reconcile(
    expected: Iterable[ExpectedDocument],
    actual: Iterable[HubDocument],
    *,
    open_status_deliveries: int = 0,
) -> Reconciliation:
    result = Reconciliation()
    wanted = {entry.key: entry for entry in expected}
    result.expected = len(wanted)
    seen: Counter[tuple[str, str, int]] = Counter()
    for document in actual:
        entry = wanted.get(document.key)
        if entry is None:
            result.note("unexpected", "document not in the schedule", document.document_id)
            continue
        seen[document.key] += 1
        if seen[document.key] > 1:
            result.note("duplicated", "document stored twice", document.document_id)
            continue
        _deliveries(result, entry, document)
    result.found = len(seen)
    for key in wanted.keys() - seen.keys():
        result.note("lost", "document not on the hub", key[1])
    if open_status_deliveries:
        sample = f"{open_status_deliveries} open"
        result.note("stuck", "status package not acknowledged", sample, open_status_deliveries)
    return result


def _deliveries(result: Reconciliation, entry: ExpectedDocument, document: HubDocument) -> None:
    by_recipient: dict[str, HubDelivery] = {}
    for delivery in document.deliveries:
        where = f"{document.document_id} -> {delivery.recipient}"
        if delivery.recipient not in entry.codes:
            result.note("unexpected", "delivery to an agency not addressed", where)
        elif delivery.recipient in by_recipient:
            result.note("duplicated", "two deliveries to one recipient", where)
        else:
            by_recipient[delivery.recipient] = delivery
    for recipient, codes in entry.codes.items():
        where = f"{document.document_id} -> {recipient}"
        found = by_recipient.get(recipient)
        if found is None:
            result.note("lost", "recipient without a delivery", where)
        else:
            _delivery(result, codes, found, where)


def _delivery(result: Reconciliation, codes: list[str], found: HubDelivery, where: str) -> None:
    if found.state != DONE:
        result.note("stuck", "delivery not acknowledged", f"{where} ({found.state})")
    missing = Counter(codes) - Counter(found.codes)
    extra = Counter(found.codes) - Counter(codes)
    if missing:
        sample, count = f"{where} {sorted(missing)}", sum(missing.values())
        result.note("stuck", "scheduled status missing", sample, count)
    if extra:
        sample, count = f"{where} {sorted(extra)}", sum(extra.values())
        result.note("unexpected", "status not in the schedule", sample, count)
