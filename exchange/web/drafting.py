"""Drafting an official document: templates by type, the number's notation (Nghị định
30/2020: `05/QĐ-UBND`, a công văn `12/SNV-VP`), and the PDF the leader and the organisation
sign. Documents are written in Vietnamese whatever the page's language."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from exchange.domain.agencies import Agency
from signing import OfficialDocument, render_pdf

__all__ = [
    "PRIORITIES",
    "SECRECY_LEVELS",
    "TEMPLATES",
    "DocumentTemplate",
    "Draft",
    "abbreviation",
    "header_name",
    "notation",
    "render_draft",
]

PRIORITIES = (0, 1, 2, 3, 4)  # thường, khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ
SECRECY_LEVELS = ("", "Mật", "Tối mật", "Tuyệt mật")
_SKIPPED = {"và", "các", "-", "của"}
_PLACE_MARKERS = (" tỉnh ", " Tỉnh ", " thành phố ", " Thành phố ")


@dataclass(frozen=True, slots=True)
class DocumentTemplate:
    key: str
    type_name: str  # as edXML's TypeName and the PDF's title
    abbreviation: str  # "" for a công văn, which carries none
    type_detail: str
    subject: str
    body: str


TEMPLATES: dict[str, DocumentTemplate] = {
    t.key: t
    for t in (
        DocumentTemplate(
            "cong-van",
            "Công văn",
            "",
            "0",
            "V/v triển khai gửi, nhận văn bản điện tử có ký số",
            "Thực hiện Nghị định số 30/2020/NĐ-CP về công tác văn thư, đề nghị các cơ quan, "
            "đơn vị gửi, nhận văn bản điện tử có chữ ký số của người có thẩm quyền và của cơ "
            "quan qua Trục liên thông văn bản.\n\nVăn thư kiểm tra chữ ký số trước khi vào sổ "
            "văn bản đến và thông báo đã nhận trong ngày.",
        ),
        DocumentTemplate(
            "quyet-dinh",
            "Quyết định",
            "QĐ",
            "1",
            "Về việc ban hành Quy chế gửi, nhận văn bản điện tử",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế gửi, nhận văn bản điện tử.\n\n"
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
        ),
        DocumentTemplate(
            "thong-bao",
            "Thông báo",
            "TB",
            "2",
            "Thông báo lịch tập huấn văn thư điện tử",
            "Tổ chức tập huấn sử dụng phần mềm quản lý văn bản và chữ ký số cho văn thư "
            "và lãnh đạo các cơ quan, đơn vị.",
        ),
        DocumentTemplate(
            "ke-hoach",
            "Kế hoạch",
            "KH",
            "3",
            "Kế hoạch ứng dụng công nghệ thông tin trong cơ quan nhà nước",
            "Phấn đấu 100% văn bản không mật được gửi, nhận dưới dạng điện tử có ký số.",
        ),
        DocumentTemplate(
            "giay-moi",
            "Giấy mời",
            "GM",
            "4",
            "Mời dự hội nghị sơ kết công tác văn thư, lưu trữ",
            "Trân trọng kính mời đại diện lãnh đạo và văn thư cơ quan tới dự hội nghị.",
        ),
        DocumentTemplate(
            "bao-cao",
            "Báo cáo",
            "BC",
            "5",
            "Báo cáo tình hình gửi, nhận văn bản điện tử",
            "Tỷ lệ văn bản đi, đến được gửi, nhận qua hệ thống quản lý văn bản điện tử.",
        ),
    )
}


def abbreviation(agency: Agency) -> str:
    """The agency's abbreviation: UBND, VPUBND, SNV (Sở Nội vụ), BCT (Bộ Công Thương)."""
    name = agency.name
    if name.startswith("UBND"):
        return "UBND"
    if name == "Văn phòng Chính phủ":
        return "VPCP"
    if name.startswith("Thanh tra"):
        return "TTr"
    for marker in _PLACE_MARKERS:
        name = name.split(marker)[0]
    words = [w for w in name.split() if w not in _SKIPPED]
    return "".join(_initial(w) for w in words)


def _initial(word: str) -> str:
    if len(word) > 1 and word.isupper():  # an abbreviation already: UBND, HĐND
        return word
    first = unicodedata.normalize("NFC", word)[0]
    base = unicodedata.normalize("NFD", first)[0] if first not in "Đđ" else "Đ"
    return base.upper()


def notation(template: DocumentTemplate, agency: Agency) -> str:
    own = abbreviation(agency)
    return f"{own}-VP" if not template.abbreviation else f"{template.abbreviation}-{own}"


def header_name(agency: Agency) -> str:
    """The name as a header writes it: UBND spelled out (Ủy ban nhân dân)."""
    if agency.name.startswith("UBND "):
        return "Ủy ban nhân dân " + agency.name.removeprefix("UBND ")
    return agency.name


@dataclass(frozen=True, slots=True)
class Draft:
    agency: Agency
    superior: Agency | None
    template: DocumentTemplate
    code: str
    place: str
    subject: str
    body: str
    signer_name: str
    signer_position: str
    competence: str
    addressees: tuple[str, ...]


def render_draft(draft: Draft, issued_on: date) -> bytes:
    agency = draft.agency
    document = OfficialDocument(
        agency_code=agency.code,
        agency_name=_own_name(draft),
        number=draft.code,
        place=draft.place,
        issued_on=issued_on,
        subject=draft.subject,
        body=draft.body,
        signer_name=draft.signer_name,
        signer_position=draft.signer_position,
        competence=draft.competence,
        superior=_superior(draft),
        addressees=draft.addressees,
    )
    return render_pdf(document)


def _own_name(draft: Draft) -> str:
    """Under its superior's name a department drops the place: SỞ NỘI VỤ."""
    name = header_name(draft.agency)
    if _superior(draft):
        for marker in _PLACE_MARKERS:
            name = name.split(marker)[0]
    return name


def _superior(draft: Draft) -> str:
    """The governing body above a department's name (a UBND names none)."""
    if draft.superior is None or draft.agency.name.startswith("UBND"):
        return ""
    return header_name(draft.superior)
