"""The rows of the listing answers, under the names the SDK reads (no `null` anywhere)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exchange.api.envelope import vxp_time
from exchange.db.repos.directory import DirectoryEntry
from exchange.domain.agencies import Agency, Tier
from exchange.domain.errors import ParameterInvalid
from exchange.protocol.compose import STATUS_TEXT
from exchange.services.directory import Directory
from exchange.services.tracking import SentReport

__all__ = [
    "LEVELS",
    "TRANSPORT_DESC",
    "TRANSPORT_WORDS",
    "agencies",
    "agencies_qd20",
    "level",
    "sent_rows",
    "synchronize",
]

# stored transport state -> the word answers use, and its description
TRANSPORT_WORDS = {"pending": "pending", "working": "processing", "failed": "fail", "done": "done"}
TRANSPORT_DESC = {
    "pending": "Chờ nhận",
    "working": "Đang nhận",
    "failed": "Nhận lỗi",
    "done": "Đã nhận",
}
LEVELS = {1: Tier.CENTRAL, 2: Tier.PROVINCE, 3: Tier.DISTRICT, 4: Tier.COMMUNE}


def sent_rows(doc_id: str, report: SentReport) -> list[dict[str, Any]]:
    return [
        {
            "fromCode": report.sender,
            "toCode": r.recipient,
            "senderDocId": doc_id,
            "receiverDocId": r.receiver_doc_id,
            "sendStatus": TRANSPORT_WORDS[r.transport],
            "sendStatusDesc": TRANSPORT_DESC[r.transport],
            "receiveStatus": r.status or "",
            "receiveStatusDesc": STATUS_TEXT.get(r.status or "", ""),
            "recallStatus": r.recall or "",
            "sentTime": vxp_time(report.sent_at),
            "receivedTime": vxp_time(r.acknowledged_at),
            "title": report.title,
            "notation": report.notation,
            "serviceType": "eDoc",
            "messageType": report.kind,
            "history": [{"code": code, "time": vxp_time(at)} for code, at in r.history],
        }
        for r in report.recipients
    ]


def _unit(code: str, name: str, mail: str | None, parent: str | None) -> dict[str, Any]:
    """What every directory row says of an agency (its code is its id)."""
    return {"id": code, "code": code, "name": name, "mail": mail or "", "pid": parent or ""}


def agencies(directory: Directory) -> list[dict[str, Any]]:
    return [
        {**_unit(a.code, a.name, a.mail, a.parent), "oldCode": a.old_code or ""}
        for a in directory.agencies.values()
    ]


def level(value: str) -> Tier | None:
    """getAgenciesListQD20's `level`: 1 central, 2 province, 3 district, 4 commune; absent: all."""
    if not value.strip():
        return None
    if not value.strip().isdigit() or int(value) not in LEVELS:
        raise ParameterInvalid("The parameter level must be 1, 2, 3 or 4.")
    return LEVELS[int(value)]


def agencies_qd20(directory: Directory, tier: Tier | None) -> list[dict[str, Any]]:
    chosen: Sequence[Agency] = [
        a for a in directory.agencies.values() if tier is None or a.tier is tier
    ]
    return [
        {
            "id": a.code,
            "code": a.qd20_code or a.code,
            "name": a.name,
            "mail": a.mail or "",
            "code102": a.code,
        }
        for a in chosen
    ]


def synchronize(entries: Sequence[DirectoryEntry]) -> list[dict[str, Any]]:
    return [
        {
            **_unit(e.code, e.name, e.mail, e.parent),
            "version": e.version,
            "centerCode": e.system_id,
            "deleted": e.deleted,
            "modifyDate": vxp_time(e.modified_at),
            "isAgency": True,
        }
        for e in entries
    ]
