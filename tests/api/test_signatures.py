"""Signatures at the hub (policy `record` and `enforce`) and at the receiver: each failure
named, refused under `enforce`, delivered and recorded under `record`, answered 02 by the
receiver with that reason; a valid document is answered 03."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from exchange.domain.agencies import Agency
from exchange.domain.messages import Attachment, EdocMessage
from exchange.edxml import parse_edxml
from exchange.protocol.compose import compose_edoc
from exchange.protocol.receiver import answer_for
from exchange.protocol.verification import verify_message
from exchange.settings import Settings
from signing import OfficialDocument, Pki, Signer, TrustStore, cms, pades, render_pdf
from signing.xmldsig import sign_envelope
from tests.api.harness import PROVINCE, Hub, edxml, make_settings, org

pytestmark = pytest.mark.db

NOW = datetime.now(UTC)
ISSUED = NOW - timedelta(days=30)
SENDER, VP = "000.00.00.H37", "000.00.01.H37"


@dataclasses.dataclass(frozen=True)
class Keys:
    pki: Pki
    person: Signer
    organisation: Signer
    expired: Signer
    foreign_person: Signer
    foreign_organisation: Signer


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    pki = Pki.init(tmp_path_factory.mktemp("hub-pki") / "pki", ISSUED - timedelta(days=400))
    organisation = pki.issue_org(SENDER, "UBND Tỉnh Ninh Bình", ISSUED)
    person = pki.issue_person(SENDER, "Bùi Thanh Trung", "Chủ tịch", ISSUED)
    expired = pki.issue_person(
        SENDER,
        "Trần Văn Cũ",
        "Phó Chủ tịch",
        NOW - timedelta(days=400),
        validity=timedelta(days=365),
    )
    pki.publish(NOW)
    foreign = Pki.init(tmp_path_factory.mktemp("foreign") / "pki", ISSUED)
    foreign_org = foreign.issue_org(SENDER, "UBND Tỉnh Ninh Bình", ISSUED)
    foreign_person = foreign.issue_person(SENDER, "Bùi Thanh Trung", "Chủ tịch", ISSUED)
    return Keys(
        pki,
        pki.signer(person.id),
        pki.signer(organisation.id),
        pki.signer(expired.id),
        foreign.signer(foreign_person.id),
        foreign.signer(foreign_org.id),
    )


@pytest.fixture(scope="session")
def pdf() -> bytes:
    return render_pdf(
        OfficialDocument(
            agency_code=SENDER,
            agency_name="UBND Tỉnh Ninh Bình",
            number="125/UBND-VP",
            place="Ninh Bình",
            issued_on=date.today(),
            subject="V/v triển khai liên thông văn bản điện tử",
            body="Đề nghị các cơ quan gửi, nhận văn bản điện tử có ký số.",
            signer_name="Bùi Thanh Trung",
            signer_position="Chủ tịch",
            competence="TM. ỦY BAN NHÂN DÂN",
            addressees=("Như trên;",),
        )
    )


@pytest.fixture(params=["record", "enforce"])
def hub_settings(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path, keys: Keys
) -> Settings:
    return make_settings(
        database_url, tmp_path, signature_policy=request.param, pki_dir=keys.pki.directory
    )


def _message(hub: Hub, number: int, attachments: list[Attachment]) -> EdocMessage:
    recipient = next(a for a in hub.agencies.values() if a.tier.value == "district")
    return compose_edoc(
        org(hub.agencies[SENDER]),
        [org(recipient)],
        number=number,
        notation="UBND-VP",
        subject="V/v triển khai liên thông văn bản điện tử",
        on=NOW,
        attachments=attachments,
    )


def _signed_pdf(
    hub: Hub, number: int, data: bytes, person: Signer, org_: Signer | None
) -> EdocMessage:
    document_id = _message(hub, number, []).document_id
    signed = pades.sign_pdf(data, person, NOW, field="Person", document_id=document_id)
    if org_ is not None:
        signed = pades.sign_pdf(signed, org_, NOW, field="Organisation", document_id=document_id)
    return _message(hub, number, [Attachment("cid:1", "congvan.pdf", "application/pdf", signed)])


Scenario = Callable[[Hub, Keys, bytes], bytes]


def valid(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    return edxml(_signed_pdf(hub, 1, pdf, keys.person, keys.organisation))


def tampered(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    message = _signed_pdf(hub, 2, pdf, keys.person, keys.organisation)
    data = bytearray(message.attachments[0].data)
    data[len(data) // 3] ^= 0x01  # one byte of the signed PDF
    changed = dataclasses.replace(message.attachments[0], data=bytes(data))
    return edxml(dataclasses.replace(message, attachments=(changed,)))


def organisation_missing(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    return edxml(_signed_pdf(hub, 3, pdf, keys.person, None))


def expired(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    return edxml(_signed_pdf(hub, 4, pdf, keys.expired, keys.organisation))


def another_root(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    return edxml(_signed_pdf(hub, 5, pdf, keys.foreign_person, keys.foreign_organisation))


def copied(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    """The signed PDF of document 6, carried by document 7."""
    signed = _signed_pdf(hub, 6, pdf, keys.person, keys.organisation).attachments
    return edxml(_message(hub, 7, list(signed)))


def sha1(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    document_id = _message(hub, 8, []).document_id
    signature = cms.sign_detached(pdf, keys.person, NOW, document_id=document_id, digest="sha1")
    signature = cms.add_signature(signature, pdf, keys.organisation, NOW, document_id=document_id)
    return edxml(
        _message(
            hub,
            8,
            [
                Attachment("cid:1", "congvan.pdf", "application/pdf", pdf),
                Attachment("cid:2", "congvan.pdf.p7s", "application/pkcs7-signature", signature),
            ],
        )
    )


def envelope_changed(hub: Hub, keys: Keys, pdf: bytes) -> bytes:
    signed = sign_envelope(valid(hub, keys, pdf), keys.organisation)
    return signed.replace("V/v triển khai".encode(), "V/v hủy bỏ".encode(), 1)


FAILURES: dict[str, tuple[Scenario, str]] = {
    "tampered": (tampered, "tampered"),
    "organisation_missing": (organisation_missing, "organisation_signature_missing"),
    "expired": (expired, "expired"),
    "another_root": (another_root, "unknown_issuer"),
    "copied": (copied, "signature_mismatch"),
    "sha1": (sha1, "weak_algorithm"),
    "envelope_changed": (envelope_changed, "tampered"),
}


def _receiver_trust(keys: Keys) -> TrustStore:
    public = keys.pki.directory / "public"
    return TrustStore.from_pem(
        (public / "ca-bundle.pem").read_bytes(), (public / "crl.pem").read_bytes()
    )


def _policy(hub: Hub) -> str:
    return hub.settings.signature_policy


def _first_recipients_copy(hub: Hub, body: bytes) -> tuple[dict[str, object], bytes]:
    """The newest listed item of the first recipient, and its file as delivered."""
    message = parse_edxml(body).message
    assert isinstance(message, EdocMessage)
    system = hub.agencies[message.recipients[0].organ_id].system_id
    item = hub.connector(system).inbox()[-1]
    delivered = hub.connector(system).get_edoc(str(item["docId"])).raise_if_refused()
    return item, delivered.edxml


def test_a_valid_document_is_delivered_and_registered(hub: Hub, keys: Keys, pdf: bytes) -> None:
    body = valid(hub, keys, pdf)
    sent = hub.connector(PROVINCE).send(body)
    assert sent.http_status == 201, sent
    item, delivered = _first_recipients_copy(hub, body)
    assert item["signature"] == "valid"
    message = parse_edxml(delivered).message
    answer = answer_for(verify_message(delivered, message, _receiver_trust(keys), NOW))
    assert answer.status_code == "03"
    report = hub.connector(PROVINCE).get_sent_edoc_list(str(sent["DocId"]))
    assert report["verification"]["person"]["signer"] == "Bùi Thanh Trung"


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_each_failure_is_named_at_the_hub_and_at_the_receiver(
    hub: Hub, keys: Keys, pdf: bytes, case: str
) -> None:
    build, problem = FAILURES[case]
    body = build(hub, keys, pdf)
    sent = hub.connector(PROVINCE).send(body)
    if _policy(hub) == "enforce":
        assert (sent.http_status, sent.error_code) == (422, f"signature_{problem}"), sent
        return
    assert sent.http_status == 201, sent
    item, delivered = _first_recipients_copy(hub, body)
    assert item["signature"] == problem
    message = parse_edxml(delivered).message
    answer = answer_for(verify_message(delivered, message, _receiver_trust(keys), NOW))
    assert answer.status_code == "02" and problem in answer.description


def test_revoking_the_agencys_certificate_fails_its_next_document(
    hub: Hub, keys: Keys, pdf: bytes
) -> None:
    pki = Pki(keys.pki.directory)
    vp: Agency = hub.agencies[VP]
    organisation = pki.signer(pki.issue_org(VP, vp.name, ISSUED).id)
    person = pki.signer(pki.issue_person(VP, "Đỗ Đức Sơn", "Chánh Văn phòng", ISSUED).id)

    def document(number: int) -> bytes:
        recipient = next(a for a in hub.agencies.values() if a.tier.value == "district")
        on = NOW
        document_id = f"{VP},{on:%Y/%m/%d},{number}/VP-HC"
        signed = pades.sign_document_pdf(pdf, person, organisation, on, document_id=document_id)
        attachment = Attachment("cid:1", "congvan.pdf", "application/pdf", signed)
        message = compose_edoc(
            org(vp),
            [org(recipient)],
            number=number,
            notation="VP-HC",
            subject="V/v họp",
            on=on,
            attachments=[attachment],
        )
        return edxml(message)

    assert hub.connector(PROVINCE).send(document(20)).http_status == 201
    pki.revoke(organisation.certificate.serial_number, NOW)
    pki.publish(NOW)
    body = document(21)
    after = hub.connector(PROVINCE).send(body)
    if _policy(hub) == "enforce":
        assert (after.http_status, after.error_code) == (422, "signature_revoked")
    else:
        assert after.http_status == 201
        item, _ = _first_recipients_copy(hub, body)
        assert item["signature"] == "revoked"


def test_the_interop_samples_are_recorded_as_unverifiable_never_valid(hub: Hub) -> None:
    """Their signatures are SHA-1 with a truncated certificate: reported, not a crash."""
    sample = Path(__file__).resolve().parents[3] / "shared" / "interop" / "vpcp-samples"
    message = parse_edxml((sample / "edoc_new.edxml").read_bytes()).message
    assert isinstance(message, EdocMessage)
    result = verify_message((sample / "edoc_new.edxml").read_bytes(), message, None, NOW)
    assert not result.valid
    trust = Pki(hub.settings.pki_path).trust_store(NOW)
    checked = verify_message((sample / "edoc_new.edxml").read_bytes(), message, trust, NOW)
    assert checked.envelope is not None
    assert checked.envelope.problem is not None
    assert checked.envelope.problem.value == "unverifiable_certificate"
    assert not checked.envelope.algorithm_ok
