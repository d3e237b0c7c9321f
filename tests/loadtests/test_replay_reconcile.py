"""Reconciliation on crafted ledgers: a clean run counts nothing, and each way of failing
exactly-once (lost, duplicated, stuck, unexpected) is counted where it happened."""

from __future__ import annotations

from loadtests.replay.expected import ExpectedDocument
from loadtests.replay.reconcile import HubDelivery, HubDocument, Reconciliation, reconcile

A, B = "000.00.01.H42", "000.00.02.H42"


def _expected(document_id: str = "X,2017/03/01,1/UBND") -> ExpectedDocument:
    return ExpectedDocument("X", document_id, (A, B), {A: ["01", "03"], B: ["01", "02"]})


def _hub(
    document_id: str = "X,2017/03/01,1/UBND", *deliveries: HubDelivery, sender: str = "X"
) -> HubDocument:
    found = deliveries or (
        HubDelivery(A, "done", ("01", "03")),
        HubDelivery(B, "done", ("01", "02")),
    )
    return HubDocument(sender, document_id, 0, tuple(found))


def _counts(result: Reconciliation) -> dict[str, int]:
    return {k: result.counts[k] for k in ("lost", "duplicated", "stuck", "unexpected")}


def test_a_clean_ledger_counts_nothing() -> None:
    result = reconcile([_expected()], [_hub()])
    assert result.clean and result.expected == result.found == 1
    assert _counts(result) == {"lost": 0, "duplicated": 0, "stuck": 0, "unexpected": 0}


def test_a_document_missing_from_the_hub_is_lost() -> None:
    result = reconcile([_expected(), _expected("X,2017/03/01,2/UBND")], [_hub()])
    assert _counts(result)["lost"] == 1
    assert result.samples["document not on the hub"] == ["X,2017/03/01,2/UBND"]


def test_a_recipient_without_a_delivery_is_lost() -> None:
    only_a = _hub("X,2017/03/01,1/UBND", HubDelivery(A, "done", ("01", "03")))
    result = reconcile([_expected()], [only_a])
    assert _counts(result) == {"lost": 1, "duplicated": 0, "stuck": 0, "unexpected": 0}


def test_a_document_stored_twice_or_delivered_twice_is_duplicated() -> None:
    twice = reconcile([_expected()], [_hub(), _hub()])
    assert _counts(twice)["duplicated"] == 1
    again = HubDelivery(A, "done", ("01", "03"))
    doubled = _hub("X,2017/03/01,1/UBND", again, again, HubDelivery(B, "done", ("01", "02")))
    assert _counts(reconcile([_expected()], [doubled]))["duplicated"] == 1


def test_an_open_delivery_or_a_missing_status_is_stuck() -> None:
    pending = HubDelivery(A, "pending", ("01", "03"))
    short = HubDelivery(B, "done", ("01",))
    result = reconcile([_expected()], [_hub("X,2017/03/01,1/UBND", pending, short)])
    assert _counts(result) == {"lost": 0, "duplicated": 0, "stuck": 2, "unexpected": 0}
    assert set(result.details) == {"delivery not acknowledged", "scheduled status missing"}


def test_open_status_deliveries_are_stuck() -> None:
    result = reconcile([_expected()], [_hub()], open_status_deliveries=3)
    assert _counts(result)["stuck"] == 3


def test_what_the_schedule_never_sent_is_unexpected() -> None:
    stranger = _hub("Y,2017/03/01,9/UBND", sender="Y")
    extra = HubDelivery("000.00.99.H42", "done", ())
    odd = _hub(
        "X,2017/03/01,1/UBND",
        HubDelivery(A, "done", ("01", "03", "06")),
        HubDelivery(B, "done", ("01", "02")),
        extra,
    )
    result = reconcile([_expected()], [stranger, odd])
    assert _counts(result) == {"lost": 0, "duplicated": 0, "stuck": 0, "unexpected": 3}
    assert "document not in the schedule" in result.details


def test_the_lines_name_every_count() -> None:
    lines = reconcile([_expected()], []).lines()
    assert [line.split()[0] for line in lines[1:5]] == ["lost", "duplicated", "stuck", "unexpected"]
