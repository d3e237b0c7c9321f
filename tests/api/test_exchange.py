"""The exchange as connectors see it: send, poll, fetch, acknowledge, answer, track."""

from __future__ import annotations

from dataclasses import replace

import pytest

from exchange.domain.messages import EdocMessage
from exchange.edxml import parse_edxml
from exchange.protocol.compose import compose_status
from tests.api.harness import NOW, PROVINCE, Hub, edoc, edxml, org

pytestmark = pytest.mark.db


def _district_systems(hub: Hub) -> list[str]:
    return sorted({a.system_id for a in hub.agencies.values() if a.tier.value == "district"})


def _answer(hub: Hub, message: EdocMessage, responder_code: str, code: str) -> int:
    responder = hub.agencies[responder_code]
    status = compose_status(org(responder), message, code, on=NOW)
    response = hub.of(responder).send(edxml(status))
    assert response.status_code == 201, response.text
    return int(response.json()["docId"])


def test_a_document_crosses_systems_and_the_sender_sees_every_status(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    first_district, second_district = _district_systems(hub)[:2]
    recipients = [hub.hosted(first_district)[0], *hub.hosted(second_district)[:2]]
    message = edoc(sender, recipients)

    sent = hub.of(sender).send(edxml(message))
    assert sent.status_code == 201, sent.text
    doc_id = sent.json()["docId"]
    assert sent.json()["recipients"] == [r.code for r in recipients]

    for system, expected in ((first_district, 1), (second_district, 2)):
        inbox = hub.connector(system).received(messageType="edoc").json()["items"]
        assert [(i["docId"], i["from"]) for i in inbox] == [(doc_id, sender.code)] * expected
        fetched = hub.connector(system).get(doc_id)
        assert fetched.status_code == 200
        delivered = parse_edxml(fetched.content).message
        assert isinstance(delivered, EdocMessage)
        assert delivered.attachments == message.attachments
        assert delivered.traces[-1].organ_id == hub.settings.hub_organ_id
        assert hub.connector(system).ack(doc_id).status_code == 200
        assert hub.connector(system).received().json()["items"] == []

    for recipient in recipients:
        _answer(hub, message, recipient.code, "01")
        _answer(hub, message, recipient.code, "03")

    report = hub.of(sender).sent(doc_id).json()["recipients"]
    assert [(r["to"], r["transport"], r["status"]) for r in report] == [
        (r.code, "done", "03") for r in recipients
    ]
    assert all([h["code"] for h in r["history"]] == ["01", "03"] for r in report)

    statuses = hub.of(sender).received(messageType="status").json()["items"]
    assert len(statuses) == 2 * len(recipients)
    assert {s["from"] for s in statuses} == {r.code for r in recipients}


def test_sending_the_same_document_again_stores_nothing_new(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    body = edxml(edoc(sender, [recipient]))
    first = hub.of(sender).send(body)
    again = hub.of(sender).send(body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["docId"] == first.json()["docId"]
    assert len(hub.of(recipient).received().json()["items"]) == 1


def test_repeating_a_status_answers_200_even_after_it_moved_on(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    hub.of(sender).send(edxml(message))
    first = _answer(hub, message, recipient.code, "01")
    _answer(hub, message, recipient.code, "03")
    again = hub.of(recipient).send(edxml(compose_status(org(recipient), message, "01", on=NOW)))
    assert again.status_code == 200
    assert again.json()["docId"] == first


def test_the_full_lifecycle_and_a_move_the_table_forbids(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    doc_id = hub.of(sender).send(edxml(message)).json()["docId"]
    for code in ("01", "03", "04", "05", "06"):
        _answer(hub, message, recipient.code, code)
    late = compose_status(org(recipient), message, "02", on=NOW)
    refused = hub.of(recipient).send(edxml(late))
    assert refused.status_code == 409
    assert refused.json()["code"] == "status_transition_not_allowed"
    history = hub.of(sender).sent(doc_id).json()["recipients"][0]["history"]
    assert [h["code"] for h in history] == ["01", "03", "04", "05", "06"]


def test_recall_reaches_every_recipient_and_a_finished_one_cannot_agree(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    a, b = hub.hosted(_district_systems(hub)[0])[:2]
    message = edoc(sender, [a, b])
    doc_id = hub.of(sender).send(edxml(message)).json()["docId"]
    for code in ("01", "03", "06"):
        _answer(hub, message, b.code, code)
    recall = compose_status(org(sender), message, "13", on=NOW)
    asked = hub.of(sender).send(edxml(recall))
    assert asked.status_code == 201 and sorted(asked.json()["recipients"]) == sorted(
        [a.code, b.code]
    )
    inbox = hub.of(a).received(messageType="status").json()["items"]
    assert {i["to"] for i in inbox} == {a.code, b.code}

    _answer(hub, message, a.code, "15")
    refused = hub.of(b).send(edxml(compose_status(org(b), message, "15", on=NOW)))
    assert (refused.status_code, refused.json()["code"]) == (409, "status_transition_not_allowed")
    _answer(hub, message, b.code, "16")
    report = {r["to"]: r["recall"] for r in hub.of(sender).sent(doc_id).json()["recipients"]}
    assert report == {a.code: "15", b.code: "16"}


def test_only_the_sender_may_ask_for_a_recall(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    hub.of(sender).send(edxml(message))
    response = hub.of(recipient).send(edxml(compose_status(org(recipient), message, "13", on=NOW)))
    assert response.status_code == 404
    assert response.json()["code"] == "status_target_unknown"


def test_polling_pages_filters_and_keeps_failed_deliveries(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    district = _district_systems(hub)[0]
    a, b = hub.hosted(district)[:2]
    ids = [
        hub.of(sender).send(edxml(edoc(sender, [a, b], number=n))).json()["docId"]
        for n in range(1, 4)
    ]
    inbox = hub.connector(district)
    first = inbox.received(limit=4).json()
    second = inbox.received(limit=4, after=first["next"]).json()
    assert len(first["items"]) == 4 and len(second["items"]) == 2 and second["next"] is None
    assert [i["docId"] for i in first["items"] + second["items"]] == sorted(ids * 2)
    only_b = inbox.received(agency=b.code).json()["items"]
    assert [i["to"] for i in only_b] == [b.code] * 3

    assert inbox.ack(ids[0], "fail", agency=a.code).status_code == 200
    still = [i for i in inbox.received().json()["items"] if i["to"] == a.code]
    assert still[0]["docId"] == ids[0] and still[0]["failCount"] == 1
    assert inbox.ack(ids[0], agency=a.code).json()["deliveries"] == 1
    remaining = {(i["docId"], i["to"]) for i in inbox.received().json()["items"]}
    assert (ids[0], a.code) not in remaining and (ids[0], b.code) in remaining


def test_identical_attachments_are_stored_once(hub: Hub) -> None:
    from sqlalchemy import create_engine, func, select

    from exchange.db.models import blobs

    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    shared = b"same zipped attachment" * 1000
    for number in (1, 2, 3):
        message = edoc(sender, [recipient], number, attachment=shared)
        assert hub.of(sender).send(edxml(message)).status_code == 201
    engine = create_engine(hub.settings.database_url)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(blobs)).scalar_one() == 1
    engine.dispose()


def test_agencies_list_is_the_directory(hub: Hub) -> None:
    listed = hub.connector(PROVINCE).agencies().json()["agencies"]
    codes = {a["code"] for a in listed}
    assert "000.00.00.G22" in codes and "000.00.00.H37" in codes
    assert len(codes) == len(hub.agencies)


def test_metrics_count_documents_deliveries_statuses_and_backlog(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    hub.of(sender).send(edxml(message))
    _answer(hub, message, recipient.code, "01")
    text = hub.http.get("/metrics").text
    assert 'eoffice_documents{kind="edoc"} 1.0' in text
    assert 'eoffice_statuses{code="01"} 1.0' in text
    assert "eoffice_undelivered_backlog 2.0" in text  # the document and the status package
    assert 'eoffice_requests_total{path="/vxp/sendEdoc",status="201"}' in text


def test_health_and_openapi_answer(hub: Hub) -> None:
    assert hub.http.get("/healthz").json() == {"status": "ok"}
    paths = hub.http.get("/openapi.json").json()["paths"]
    assert {"/vxp/sendEdoc", "/vxp/getReceivedEdocList", "/vxp/getEdoc"} <= set(paths)


def test_a_revoke_document_asks_the_recipients_for_the_original(hub: Hub) -> None:
    from exchange.domain.messages import BusinessDocType, BusinessInfo

    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    original = edoc(sender, [recipient])
    doc_id = hub.of(sender).send(edxml(original)).json()["docId"]
    revoke = replace(original, business=BusinessInfo(doc_type=BusinessDocType.REVOKE))
    assert hub.of(sender).send(edxml(revoke)).status_code == 201
    report = hub.of(sender).sent(doc_id).json()["recipients"][0]
    assert report["recall"] == "13"
    _answer(hub, original, recipient.code, "15")
    assert hub.of(sender).sent(doc_id).json()["recipients"][0]["recall"] == "15"


def test_a_province_seeded_while_the_hub_runs_is_routable(hub: Hub) -> None:
    import time

    from exchange.db.engine import make_engine
    from exchange.db.writer import run_once
    from exchange.registry import load_registry
    from exchange.services.seeding import seed

    quang_binh = load_registry("quang-binh", "2019")
    engine = make_engine(hub.settings.database_url)
    run_once(engine, lambda store: seed(store, [quang_binh]))
    engine.dispose()
    time.sleep(1.1)  # the directory reloads on a miss at most once a second
    sender = hub.hosted(PROVINCE)[0]
    response = hub.of(sender).send(edxml(edoc(sender, [quang_binh.agencies[0]])))
    assert response.status_code == 201, response.text
