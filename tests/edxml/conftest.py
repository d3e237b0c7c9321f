"""Fixtures for the edXML tests: the real partner samples and hand-made messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exchange.domain.messages import (
    Attachment,
    BusinessDocType,
    BusinessInfo,
    Code,
    DocumentType,
    EdocMessage,
    Message,
    Organization,
    OtherInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusMessage,
    TraceHeader,
)

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "interop" / "vpcp-samples"
EDOC_SAMPLES = {
    "edoc_new.edxml": BusinessDocType.NEW,
    "edoc_revocation.edxml": BusinessDocType.REVOKE,
    "edoc_update.edxml": BusinessDocType.UPDATE,
    "edoc_replacement.edxml": BusinessDocType.REPLACE,
}
STATUS_SAMPLES = {
    "status.edxml": "01",
    "status_inbox_01.edxml": "01",
    "status_rejection_02.edxml": "02",
    "status_acceptance_03.edxml": "03",
    "status_assignment_04.edxml": "04",
    "status_processing_05.edxml": "05",
    "status_finish_06.edxml": "06",
    "status_cancellation_13.edxml": "13",
    "status_change-acceptance_15.edxml": "15",
    "status_change-rejection_16.edxml": "16",
}
STATUS_CODES = ["01", "02", "03", "04", "05", "06", "13", "15", "16"]

VPCP = Organization(
    organ_id="000.00.00.G22",
    organ_name="Văn phòng Chính phủ",
    organization_in_charge="Văn phòng Chính phủ",
    organ_add="Số 1 Hoàng Hoa Thám, Quận Ba Đình, Hà Nội",
    email="vpcp@gov.vn",
    telephone="080 43100",
    fax="04 3823 0000",
    website="vpcp.vn",
)
NGHE_AN = Organization(organ_id="000.00.00.H41", organ_name="UBND Tỉnh Nghệ An")
CAO_BANG = Organization(organ_id="000.00.00.H14", organ_name="UBND Tỉnh Cao Bằng")
HOA_SON = Organization(organ_id="28.22.H17", organ_name="UBND xã Hòa Sơn - Đà Nẵng")
STAFF = StaffInfo("Văn thư văn phòng", "Nguyễn Thị Ngọc Trâm", "vanthu@gov.vn", "84912000001")


def read_sample(name: str) -> bytes:
    """One interop sample; fails (never skips) when the folder is missing."""
    assert SAMPLES.is_dir(), f"interop samples not found at {SAMPLES}"
    return (SAMPLES / name).read_bytes()


@pytest.fixture(scope="session")
def sample() -> Callable[[str], bytes]:
    return read_sample


@pytest.fixture(params=sorted(EDOC_SAMPLES))
def edoc_sample(request: pytest.FixtureRequest) -> tuple[bytes, BusinessDocType]:
    """(bytes, expected BussinessDocType) of each document sample."""
    return read_sample(request.param), EDOC_SAMPLES[request.param]


@pytest.fixture(params=sorted(STATUS_SAMPLES))
def status_sample(request: pytest.FixtureRequest) -> tuple[bytes, str]:
    """(bytes, expected StatusCode) of each status sample."""
    return read_sample(request.param), STATUS_SAMPLES[request.param]


@pytest.fixture(params=sorted([*EDOC_SAMPLES, *STATUS_SAMPLES]))
def valid_sample(request: pytest.FixtureRequest) -> bytes:
    """Every sample except edoc.edxml (not well-formed)."""
    return read_sample(request.param)


def make_edoc(doc_type: BusinessDocType = BusinessDocType.NEW) -> EdocMessage:
    """A document with every field filled, Vietnamese text and three recipients."""
    return EdocMessage(
        sender=VPCP,
        recipients=(NGHE_AN, CAO_BANG, HOA_SON),
        document_id="000.00.00.G22,2024/03/12,123/VPCP-TTĐT",
        code=Code("123", "VPCP-TTĐT"),
        promulgation_place="Hà Nội",
        promulgation_date="2024/03/12",
        document_type=DocumentType("1", "0", "Công văn"),
        subject="V/v triển khai Trục liên thông văn bản quốc gia <đợt 2> & kế hoạch",
        content="Nội dung: \"kết nối\", 'liên thông'\nDòng thứ hai\r\nDòng thứ ba",
        signer=SignerInfo("KT. BỘ TRƯỞNG", "Thứ trưởng", "Trần Văn Sơn"),
        due_date="2024/04/01",
        to_places=("Các bộ, cơ quan ngang bộ", "UBND các tỉnh, thành phố"),
        other_info=OtherInfo("2", "Lưu hành nội bộ", "TVC", "3", "12", ("Phụ lục I",), "Thường"),
        response_for=_response_for(doc_type),
        steering_type="1",
        traces=(TraceHeader("000.00.00.G22", "2024/03/12 08:00:00"),),
        business=_business(doc_type),
        attachments=(
            Attachment("cid:1", "Công văn 123.pdf", "application/pdf", bytes(range(256)) * 9),
            Attachment("cid:2", "empty.txt", "text/plain", b"", "tệp rỗng"),
        ),
    )


def _response_for(doc_type: BusinessDocType) -> ResponseFor | None:
    if doc_type is BusinessDocType.NEW:
        return None
    return ResponseFor("000.00.00.H41", "267/UBND-VX", "2024/01/05", "000.00.00.H41,x")


def _business(doc_type: BusinessDocType) -> BusinessInfo:
    receivers = (Receiver("000.00.00.H41", "0"), Receiver("000.00.00.H14", "1"))
    return BusinessInfo(
        doc_type=doc_type,
        document_id="000.00.00.G22,2024/01/30,99/VPCP-TTĐT" if doc_type else "",
        reason=f"Lý do nghiệp vụ {doc_type.name}",
        paper="0",
        staff=STAFF,
        document_info="1" if doc_type is BusinessDocType.UPDATE else "",
        document_receiver="1" if doc_type is BusinessDocType.UPDATE else "",
        receivers=receivers if doc_type is BusinessDocType.UPDATE else (),
        replacements=(
            (ReplacementInfo("000.00.00.G22,2024/01/30,7806/VPCP", ("000.00.00.H41",)),)
            if doc_type is BusinessDocType.REPLACE
            else ()
        ),
    )


def make_status(code: str = "03", *, with_extras: bool = True) -> StatusMessage:
    return StatusMessage(
        sender=NGHE_AN,
        response_for=ResponseFor("000.00.00.G22", "123/VPCP-TTĐT", "2024/03/12", "doc-1"),
        status_code=code,
        description=f"Văn thư: trạng thái {code} – đã tiếp nhận",
        timestamp="2024/03/12 17:25:11",
        staff=STAFF if with_extras else None,
        traces=(TraceHeader("000.00.00.H41", "2024/03/12 17:25:12"),) if with_extras else (),
    )


def _hand_made() -> dict[str, Message]:
    messages: dict[str, Message] = {
        f"edoc-{kind.name.lower()}": make_edoc(kind) for kind in BusinessDocType
    }
    messages["edoc-minimal"] = EdocMessage(sender=VPCP, recipients=(), document_id="d-1")
    messages |= {f"status-{code}": make_status(code) for code in STATUS_CODES}
    messages["status-minimal"] = make_status("01", with_extras=False)
    return messages


HAND_MADE = _hand_made()


@pytest.fixture(params=sorted(HAND_MADE))
def hand_made(request: pytest.FixtureRequest) -> Message:
    return HAND_MADE[request.param]


@pytest.fixture
def edoc() -> EdocMessage:
    return make_edoc()


@pytest.fixture
def status() -> StatusMessage:
    return make_status()
