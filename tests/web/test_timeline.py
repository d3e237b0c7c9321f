"""The sender's timeline from getSentEdocList's rows (national protocol): one row per
recipient with `toCode`, `sendStatus`, `receiveStatus`, `recallStatus`, `receivedTime` and
`history`; the hub's times are to the second, with Vietnam's offset."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from exchange.domain.agencies import Agency, Tier
from exchange.web.books import Note, Outgoing
from exchange.web.connector import SentReport
from exchange.web.directory import AgencyDirectory
from exchange.web.timeline import timeline
from tests.web.running import run

SENDER = Agency("000.00.02.H37", "Sở Nội vụ", Tier.PROVINCE, "tinh")
FIRST = Agency("000.00.31.H37", "UBND TP Ninh Bình", Tier.DISTRICT, "tp")
SENT_AT = datetime(2026, 5, 2, 2, 15, 3, 600_000, tzinfo=UTC)  # 09:15:03.6 in Vietnam


def _row(to: str, **fields: Any) -> dict[str, Any]:
    return {
        "toCode": to,
        "receiverDocId": "4ec00000-0000-4000-8000-000000000001",
        "sendStatus": "pending",
        "receiveStatus": "",
        "recallStatus": "",
        "receivedTime": "",
        "history": [],
        **fields,
    }


@dataclass
class FakeClient:
    report: SentReport
    asked: list[str] = field(default_factory=list)

    async def sent(self, doc_id: str) -> SentReport:
        self.asked.append(doc_id)
        return self.report


@dataclass
class FakeWorkbench:
    client_: FakeClient
    directory: AgencyDirectory = field(
        default_factory=lambda: AgencyDirectory({a.code: a for a in (SENDER, FIRST)})
    )

    def agency(self, code: str) -> Agency:
        return self.directory.agencies[code]

    def client(self, agency: Agency) -> FakeClient:
        assert agency == SENDER
        return self.client_


def _draft() -> Outgoing:
    return Outgoing(
        id=1,
        template="cong-van",
        number=1,
        notation="SNV-VP",
        document_id=f"{SENDER.code},2026/05/02,01/SNV-VP",
        issued_on=date(2026, 5, 2),
        subject="V/v",
        body="",
        signer_id="x",
        signer_name="x",
        signer_position="x",
        recipients=[FIRST.code, "000.00.32.H37"],
        stage="sent",
        created_at=SENT_AT,
        sent_at=SENT_AT,
        hub_doc_id="5e4d0000-0000-4000-8000-00000000002a",
        notes=[Note(responder=FIRST.code, code="02", description="Sai thẩm quyền", at=SENT_AT)],
    )


def test_rows_map_to_events_in_order_with_the_reasons_given() -> None:
    first = _row(
        FIRST.code,
        sendStatus="done",
        receiveStatus="02",
        recallStatus="13",
        receivedTime="2026-05-02T09:15:03+07:00",
        history=[
            {"code": "01", "time": "2026-05-02T09:15:03+07:00"},
            {"code": "02", "time": "2026-05-02T09:16:10+07:00"},
        ],
    )
    other = _row("000.00.32.H37")
    client = FakeClient(SentReport((first, other), {"valid": False, "problem": "tampered"}))
    rows, verification = run(timeline(FakeWorkbench(client), _draft()))  # type: ignore[arg-type]
    assert client.asked == ["5e4d0000-0000-4000-8000-00000000002a"]
    assert verification == {"valid": False, "problem": "tampered"}
    got = rows[0]
    assert (got.code, got.name, got.status, got.recall) == (FIRST.code, FIRST.name, "02", "13")
    # within one second (the hub's precision): sent, downloaded, then the software's 01
    assert [e.code for e in got.events] == ["sent", "fetched", "01", "02"]
    assert got.events[-1].description == "Sai thẩm quyền"
    assert got.events[-1].at == datetime(2026, 5, 2, 2, 16, 10, tzinfo=UTC)
    unknown = rows[1]
    assert (unknown.name, unknown.status, unknown.recall) == ("000.00.32.H37", None, None)
    assert [e.code for e in unknown.events] == ["sent"]  # not acknowledged: no "fetched"
