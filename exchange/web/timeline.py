"""The sender's view of a sent document: per recipient, what the hub recorded
(getSentEdocList for the senderDocId: the transport acknowledgement, every business status
and recall answer with its time), with the reasons the recipients' status packages gave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from exchange.domain.agencies import Tier
from exchange.web.books import Outgoing
from exchange.web.workbench import Workbench

__all__ = ["Event", "Group", "RecipientTimeline", "grouped", "progress", "summary", "timeline"]


@dataclass(frozen=True, slots=True)
class Event:
    code: str  # "sent", "fetched", or a status code (01..06, 13, 15, 16)
    at: datetime
    description: str = ""


@dataclass(frozen=True, slots=True)
class RecipientTimeline:
    code: str
    name: str
    status: str | None
    recall: str | None
    events: tuple[Event, ...]
    group: str = ""  # the code of the district a commune belongs to ("": none)
    group_name: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name: str
    rows: tuple[RecipientTimeline, ...]

    @property
    def summary(self) -> list[tuple[str, int]]:
        return summary(list(self.rows))


def grouped(rows: list[RecipientTimeline]) -> list[Group]:
    """The recipients by district (a broadcast to 145 communes: 8 groups), in first order."""
    groups: dict[str, list[RecipientTimeline]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return [Group(code, members[0].group_name, tuple(members)) for code, members in groups.items()]


def progress(draft: Outgoing) -> list[tuple[str, int]]:
    """From the status packages the sender received: how many recipients stand at each latest
    status ("sent": none yet), for the outbox's one line per document."""
    latest: dict[str, str] = {}
    for note in draft.notes:
        if note.code not in ("13", "15", "16"):
            latest[note.responder] = note.code
    counts = Counter(latest.get(code, "sent") for code in draft.recipients)
    return sorted(counts.items(), key=lambda item: (item[0] != "sent", item[0]))


async def timeline(
    wb: Workbench, draft: Outgoing
) -> tuple[list[RecipientTimeline], dict[str, Any] | None]:
    """Per recipient, the events; and what the hub found of the signatures on arrival."""
    if draft.hub_doc_id is None or draft.sent_at is None:
        return [], None
    agency = wb.agency(draft.document_id.split(",", 1)[0])
    report = await wb.client(agency).sent(draft.hub_doc_id)
    rows = [_recipient(wb, draft, row) for row in report.rows]
    return rows, report.verification


def summary(rows: list[RecipientTimeline]) -> list[tuple[str, int]]:
    """How many recipients stand at each latest status ("sent": none yet), in code order."""
    counts = Counter(row.status or "sent" for row in rows)
    return sorted(counts.items(), key=lambda item: (item[0] != "sent", item[0]))


def _recipient(wb: Workbench, draft: Outgoing, row: dict[str, Any]) -> RecipientTimeline:
    code = str(row["toCode"])
    notes = {(n.responder, n.code): n.description for n in draft.notes}
    assert draft.sent_at is not None
    events = [Event("sent", draft.sent_at)]
    if row.get("sendStatus") == "done" and row.get("receivedTime"):  # downloaded, then 01
        events.append(Event("fetched", _time(row["receivedTime"])))
    for item in row.get("history", []):
        status = str(item["code"])
        events.append(Event(status, _time(item["time"]), notes.get((code, status), "")))
    agency = wb.directory.get(code)
    parent = wb.directory.parent_of(code)
    return RecipientTimeline(
        code=code,
        name=agency.name if agency else code,
        group=parent.code if parent and agency and agency.tier is Tier.COMMUNE else "",
        group_name=parent.name if parent and agency and agency.tier is Tier.COMMUNE else "",
        status=row.get("receiveStatus") or None,
        recall=row.get("recallStatus") or None,
        events=tuple(sorted(events, key=_second)),
    )


def _second(event: Event) -> datetime:
    """The hub gives times to the second: within one, the events keep the order above."""
    return event.at.replace(microsecond=0)


def _time(value: str) -> datetime:
    """The hub's times carry Vietnam's offset; one without an offset is UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
