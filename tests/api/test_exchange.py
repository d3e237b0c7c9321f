"""The exchange as connectors see it, on the national protocol: send, list, fetch, acknowledge,
answer, track; each answer in the envelope the SDK reads."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from exchange.domain.messages import EdocMessage
from exchange.edxml import parse_edxml
from exchange.protocol.compose import compose_status
from tests.api.harness import NOW, PROVINCE, Hub, edoc, edxml, org

pytestmark = pytest.mark.db


def _district_systems(hub: Hub) -> list[str]:
    return sorted({a.system_id for a in hub.agencies.values() if a.tier.value == "district"})


def _answer(hub: Hub, message: EdocMessage, responder_code: str, code: str) -> str:
    responder = hub.agencies[responder_code]
    status = compose_status(org(responder), message, code, on=NOW)
    answer = hub.of(responder).send(edxml(status))
    assert (answer.http_status, answer.ok) == (201, True), answer
    return str(answer["DocId"])


def test_a_document_crosses_systems_and_the_sender_sees_every_status(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    first_district, second_district = _district_systems(hub)[:2]
    recipients = [hub.hosted(first_district)[0], *hub.hosted(second_district)[:2]]
    message = edoc(sender, recipients)

    sent = hub.of(sender).send(edxml(message))
    assert (sent.http_status, sent.fields["status"], sent.error_code) == (201, "OK", "0")
    doc_id = sent["DocId"]
    assert isinstance(doc_id, str)

    receiver_ids = set()
    for system, expected in ((first_district, 1), (second_district, 2)):
        inbox = hub.connector(system).inbox("edoc")
        assert [(i["from"], i["serviceType"], i["status"]) for i in inbox] == [
            (sender.code, "eDoc", "pending")
        ] * expected
        for item in inbox:
            receiver_ids.add(item["docId"])
            fetched = hub.connector(system).get_edoc(str(item["docId"])).raise_if_refused()
            delivered = parse_edxml(fetched.edxml).message
            assert isinstance(delivered, EdocMessage)
            assert delivered.attachments == message.attachments
            assert delivered.traces[-1].organ_id == hub.settings.hub_organ_id
            assert hub.connector(system).update_status(str(item["docId"])).ok
        assert hub.connector(system).inbox() == []
    assert doc_id not in receiver_ids and len(receiver_ids) == 3

    for recipient in recipients:
        _answer(hub, message, recipient.code, "01")
        _answer(hub, message, recipient.code, "03")

    rows = hub.of(sender).get_sent_edoc_list(doc_id).raise_if_refused().data
    assert [(r["toCode"], r["sendStatus"], r["receiveStatus"]) for r in rows] == [
        (r.code, "done", "03") for r in recipients
    ]
    assert {r["receiverDocId"] for r in rows} == receiver_ids
    assert all(r["senderDocId"] == doc_id and r["fromCode"] == sender.code for r in rows)
    assert all([h["code"] for h in r["history"]] == ["01", "03"] for r in rows)
    assert rows[0]["title"] == message.subject and rows[0]["notation"] == "1/UBND-VP"

    statuses = hub.of(sender).inbox("status")
    assert len(statuses) == 2 * len(recipients)
    assert {s["from"] for s in statuses} == {r.code for r in recipients}


def test_get_edoc_and_download_edoc_give_the_same_file(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    hub.of(sender).send(edxml(edoc(sender, [recipient])))
    [item] = hub.of(recipient).inbox()
    fetched = hub.of(recipient).get_edoc(str(item["docId"])).raise_if_refused()
    downloaded = hub.of(recipient).download_edoc(str(item["docId"])).raise_if_refused()
    assert downloaded.raw == base64.b64decode(fetched["data"])
    assert parse_edxml(downloaded.raw).message.document_id


def test_sending_the_same_document_again_stores_nothing_new(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    body = edxml(edoc(sender, [recipient]))
    first = hub.of(sender).send(body)
    again = hub.of(sender).send(body)
    assert (first.http_status, again.http_status) == (201, 200)
    assert again["DocId"] == first["DocId"]
    assert len(hub.of(recipient).inbox()) == 1


def test_repeating_a_status_answers_the_same_docid_even_after_it_moved_on(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    hub.of(sender).send(edxml(message))
    first = _answer(hub, message, recipient.code, "01")
    _answer(hub, message, recipient.code, "03")
    again = hub.of(recipient).send(edxml(compose_status(org(recipient), message, "01", on=NOW)))
    assert (again.http_status, again.ok, again["DocId"]) == (200, True, first)


def test_the_full_lifecycle_and_a_move_the_table_forbids(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    doc_id = hub.of(sender).send(edxml(message))["DocId"]
    for code in ("01", "03", "04", "05", "06"):
        _answer(hub, message, recipient.code, code)
    late = compose_status(org(recipient), message, "02", on=NOW)
    refused = hub.of(recipient).send(edxml(late))
    assert (refused.http_status, refused.fields["status"]) == (409, "FAIL")
    assert refused.error_code == "status_transition_not_allowed"
    assert refused["DocId"] == ""
    history = hub.of(sender).get_sent_edoc_list(doc_id).data[0]["history"]
    assert [h["code"] for h in history] == ["01", "03", "04", "05", "06"]


def test_recall_reaches_every_recipient_and_a_finished_one_cannot_agree(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    a, b = hub.hosted(_district_systems(hub)[0])[:2]
    message = edoc(sender, [a, b])
    doc_id = hub.of(sender).send(edxml(message))["DocId"]
    for code in ("01", "03", "06"):
        _answer(hub, message, b.code, code)
    recall = compose_status(org(sender), message, "13", on=NOW)
    assert hub.of(sender).send(edxml(recall)).http_status == 201
    inbox = hub.of(a).inbox("status")
    assert {i["to"] for i in inbox} == {a.code, b.code}

    _answer(hub, message, a.code, "15")
    refused = hub.of(b).send(edxml(compose_status(org(b), message, "15", on=NOW)))
    assert (refused.http_status, refused.error_code) == (409, "status_transition_not_allowed")
    _answer(hub, message, b.code, "16")
    rows = hub.of(sender).get_sent_edoc_list(doc_id).data
    assert {r["toCode"]: r["recallStatus"] for r in rows} == {a.code: "15", b.code: "16"}


def test_a_recipient_that_agreed_to_the_recall_cannot_move_the_document(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    doc_id = hub.of(sender).send(edxml(message))["DocId"]
    _answer(hub, message, recipient.code, "01")
    hub.of(sender).send(edxml(compose_status(org(sender), message, "13", on=NOW)))
    _answer(hub, message, recipient.code, "15")
    for code in ("03", "06"):
        late = hub.of(recipient).send(edxml(compose_status(org(recipient), message, code, on=NOW)))
        assert (late.http_status, late.error_code) == (409, "status_transition_not_allowed")
        assert "15" in late.error_desc
    [row] = hub.of(sender).get_sent_edoc_list(doc_id).data
    assert (row["receiveStatus"], row["recallStatus"]) == ("01", "15")


def test_only_the_sender_may_ask_for_a_recall(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    message = edoc(sender, [recipient])
    hub.of(sender).send(edxml(message))
    answer = hub.of(recipient).send(edxml(compose_status(org(recipient), message, "13", on=NOW)))
    assert (answer.http_status, answer.error_code) == (404, "status_target_unknown")


def test_the_list_filters_by_type_and_date_and_keeps_what_is_not_done(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    district = _district_systems(hub)[0]
    a, b = hub.hosted(district)[:2]
    for n in range(1, 4):
        hub.of(sender).send(edxml(edoc(sender, [a, b], number=n)))
    inbox = hub.connector(district)
    items = inbox.inbox("edoc")
    assert len(items) == 6 and inbox.inbox("status") == []
    assert {i["to"] for i in items} == {a.code, b.code}
    assert inbox.get_received_edoc_list("edoc", from_date="01/01/2000").data == items
    assert inbox.get_received_edoc_list("edoc", to_date="2000-01-01").data == []

    first, second = str(items[0]["docId"]), str(items[1]["docId"])
    assert inbox.update_status(first, "fail").ok
    assert inbox.update_status(second, "processing").ok
    states = {i["docId"]: i["status"] for i in inbox.inbox()}
    assert (states[first], states[second]) == ("fail", "processing")
    assert inbox.update_status(first, "done").ok
    assert first not in {i["docId"] for i in inbox.inbox()}
    assert inbox.call(inbox.connector.count_receive_edoc())["count"] == 5


def test_the_list_answers_at_most_the_cap_oldest_first(hub_settings: object) -> None:
    from fastapi.testclient import TestClient

    from exchange.api import create_app
    from exchange.db.engine import make_engine
    from exchange.db.writer import run_once
    from exchange.registry import load_registry
    from exchange.services.seeding import seed
    from exchange.settings import Settings
    from tests.api.harness import Hub as TestHub

    assert isinstance(hub_settings, Settings)
    settings = hub_settings.model_copy(update={"inbox_cap": 2})
    registries = [load_registry("ninh-binh", "2019"), load_registry("central")]
    engine = make_engine(settings.database_url)
    credentials = run_once(engine, lambda store: seed(store, registries))
    engine.dispose()
    agencies = {a.code: a for r in registries for a in r.agencies}
    with TestClient(create_app(settings), base_url="http://hub") as http:
        hub = TestHub(http, {c.system.id: c.secret for c in credentials}, agencies, settings)
        sender = hub.hosted(PROVINCE)[0]
        recipient = hub.hosted(_district_systems(hub)[0])[0]
        sent = [
            hub.of(sender).send(edxml(edoc(sender, [recipient], n)))["DocId"] for n in (1, 2, 3)
        ]
        first = hub.of(recipient).inbox()
        assert len(first) == 2
        for item in first:
            hub.of(recipient).update_status(str(item["docId"]))
        assert len(hub.of(recipient).inbox()) == 1
        assert len(sent) == 3


def test_identical_attachments_are_stored_once(hub: Hub) -> None:
    from sqlalchemy import create_engine, func, select

    from exchange.db.models import blobs

    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    shared = b"same zipped attachment" * 1000
    for number in (1, 2, 3):
        message = edoc(sender, [recipient], number, attachment=shared)
        assert hub.of(sender).send(edxml(message)).http_status == 201
    engine = create_engine(hub.settings.database_url)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(blobs)).scalar_one() == 1
    engine.dispose()


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
    assert 'eoffice_requests_total{path="/sendEdoc",status="201"}' in text


def test_health_and_openapi_answer(hub: Hub) -> None:
    assert hub.http.get("/healthz").json() == {"status": "ok"}
    paths = hub.http.get("/openapi.json").json()["paths"]
    assert {"/sendEdoc", "/getReceivedEdocList", "/getEdoc", "/deleteAgency"} <= set(paths)


def test_a_revoke_document_asks_the_recipients_for_the_original(hub: Hub) -> None:
    from exchange.domain.messages import BusinessDocType, BusinessInfo

    sender = hub.hosted(PROVINCE)[0]
    recipient = hub.hosted(_district_systems(hub)[0])[0]
    original = edoc(sender, [recipient])
    doc_id = hub.of(sender).send(edxml(original))["DocId"]
    revoke = replace(original, business=BusinessInfo(doc_type=BusinessDocType.REVOKE))
    assert hub.of(sender).send(edxml(revoke)).http_status == 201
    assert hub.of(sender).get_sent_edoc_list(doc_id).data[0]["recallStatus"] == "13"
    _answer(hub, original, recipient.code, "15")
    assert hub.of(sender).get_sent_edoc_list(doc_id).data[0]["recallStatus"] == "15"


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
    answer = hub.of(sender).send(edxml(edoc(sender, [quang_binh.agencies[0]])))
    assert answer.http_status == 201, answer


def test_to_routes_to_some_of_the_named_recipients_and_never_to_others(hub: Hub) -> None:
    sender = hub.hosted(PROVINCE)[0]
    a, b = hub.hosted(_district_systems(hub)[0])[:2]
    stranger = hub.hosted(_district_systems(hub)[1])[0]
    body = edxml(edoc(sender, [a, b]))
    client = hub.of(sender)
    only_a = client.call(client.connector.send_edoc(body, sender=sender.code, to=[a.code]))
    assert only_a.ok, only_a
    assert [i["to"] for i in hub.of(a).inbox()] == [a.code]

    leftover = edxml(edoc(sender, [a], number=2))
    refused = client.call(
        client.connector.send_edoc(leftover, sender=sender.code, to=[stranger.code])
    )
    assert (refused.http_status, refused.error_code) == (422, "parameter_invalid")
    assert stranger.code in refused.error_desc
    assert hub.of(stranger).inbox() == []


def test_a_retry_is_answered_from_its_digest_without_parsing_again(hub: Hub) -> None:
    """The same bytes from the same system: the first answer again, even after the directory
    changed (the edXML is not read again), and nothing is stored twice."""
    sender = hub.hosted(PROVINCE)[0]
    client = hub.of(sender)
    registered = client.call(
        client.connector.register_agency(
            {"pcode": sender.code, "code": "000.00.97.H37", "name": "Tổ công tác thử"}
        )
    )
    assert registered.ok, registered
    from exchange.domain.agencies import Agency, Tier

    newcomer = Agency("000.00.97.H37", "Tổ công tác thử", Tier.PROVINCE, sender.system_id)
    body = edxml(edoc(sender, [newcomer]))
    first = client.send(body)
    assert client.call(client.connector.delete_agency(newcomer.code)).ok
    retry = client.send(body)
    assert (first.http_status, retry.http_status) == (201, 200)
    assert retry["DocId"] == first["DocId"]
    changed = client.send(body.replace(b"V/v", b"V/V"))
    assert changed.error_code == "recipient_unknown"  # new bytes are read: the agency is gone
