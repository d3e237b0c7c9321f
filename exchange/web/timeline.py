"""The sender's view of a sent document: per recipient, what the hub recorded
(getSentEdocList for the senderDocId: the transport acknowledgement, every business status
and recall answer with its time), with the reasons the recipients' status packages gave."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from exchange.web.books import Outgoing
from exchange.web.workbench import Workbench

__all__ = ["Event", "RecipientTimeline", "summary", "timeline"]


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
    return RecipientTimeline(
        code=code,
        name=agency.name if agency else code,
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
