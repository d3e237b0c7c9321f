"""Render an official document (văn bản hành chính, Nghị định 30/2020 Phụ lục I) as a PDF.

fpdf2 with DejaVu Serif from Debian's fonts-dejavu-core (a Unicode TrueType font, subset
into the file) so Vietnamese diacritics render and extract as text. The layout follows
the decree's sketch: issuing agency and number on the left, national title and motto on
the right, place and date, then as the kind of document asks (`DocumentType`, Phụ lục III):
a công văn's "V/v" subject under its number and its addressees, or the kind's title and
subject in the middle of the page (a quyết định's grounds and "QUYẾT ĐỊNH:" after them);
body, recipients and signer block.
Same input, same bytes (fixed creation date and file id).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from fpdf import FPDF

from signing.doctypes import DocumentType
from signing.errors import SigningError

__all__ = ["FONT_DIRECTORY", "OfficialDocument", "render_pdf"]

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_VIETNAM = timezone(timedelta(hours=7))
_LEFT, _RIGHT, _SPLIT = 20.0, 190.0, 85.0  # mm: margins and the header's column split


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    agency_code: str
    agency_name: str  # "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"
    number: str  # số và ký hiệu: "125/UBND-VP"
    place: str
    issued_on: date
    subject: str  # trích yếu: "V/v ..."
    body: str  # paragraphs separated by blank lines
    signer_name: str
    signer_position: str  # "CHỦ TỊCH"
    competence: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    superior: str = ""  # the governing body, above the agency's name
    addressees: tuple[str, ...] = ()  # Kính gửi
    recipients: tuple[str, ...] = ("Như trên;", "Lưu: VT.")  # Nơi nhận
    kind: DocumentType = DocumentType.CONG_VAN
    grounds: tuple[str, ...] = ()  # a quyết định's "Căn cứ ..." paragraphs

    @property
    def document_id(self) -> str:
        """As edXML's DocumentId: agency code, date, number and notation."""
        return f"{self.agency_code},{self.issued_on:%Y/%m/%d},{self.number}"


def render_pdf(document: OfficialDocument) -> bytes:
    pdf = _new_pdf(document)
    _header(pdf, document)
    _title(pdf, document)
    _addressees_and_body(pdf, document)
    _closing(pdf, document)
    return bytes(pdf.output())


def _new_pdf(document: OfficialDocument) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    for style, file in (
        ("", "DejaVuSerif.ttf"),
        ("B", "DejaVuSerif-Bold.ttf"),
        ("I", "DejaVuSerif-Italic.ttf"),
    ):
        path = FONT_DIRECTORY / file
        if not path.exists():
            raise SigningError(f"Font {path} is missing: install Debian's fonts-dejavu-core.")
        pdf.add_font("Serif", style, str(path))
    pdf.set_margins(_LEFT, 20, 210 - _RIGHT)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_creation_date(datetime.combine(document.issued_on, time(8), _VIETNAM))
    pdf.set_title(f"{document.number} {document.subject}")
    pdf.set_author(document.agency_name)
    pdf.set_lang("vi")
    pdf.file_id = lambda: _file_id(document)  # type: ignore[method-assign]
    pdf.add_page()
    return pdf


def _file_id(document: OfficialDocument) -> str:
    digest = hashlib.md5(repr(document).encode("utf-8"), usedforsecurity=False).hexdigest().upper()
    return f"<{digest}><{digest}>"


def _header(pdf: FPDF, document: OfficialDocument) -> None:
    top = pdf.get_y()
    left = [("", 11, 5.5, document.superior.upper()), ("B", 11, 5.5, document.agency_name.upper())]
    _column(pdf, _LEFT, _SPLIT, [line for line in left if line[3]])
    _rule(pdf, (_LEFT + _SPLIT) / 2, 14)
    subject = [("", 10, 5, document.subject)] if document.kind.heading is None else []
    _column(pdf, _LEFT, _SPLIT, [("", 11, 6, f"Số: {document.number}"), *subject])
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    _column(pdf, _SPLIT, _RIGHT, [("B", 11, 5.5, NATIONAL_TITLE), ("B", 11, 5.5, MOTTO)])
    _rule(pdf, (_SPLIT + _RIGHT) / 2, 50)
    _column(pdf, _SPLIT, _RIGHT, [("I", 11, 8, _place_and_date(document))])
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _column(pdf: FPDF, left: float, right: float, lines: list[tuple[str, int, float, str]]) -> None:
    """Centred lines between `left` and `right` (mm), each (style, size, height, text)."""
    for style, size, height, text in lines:
        pdf.set_font("Serif", style, size)
        pdf.set_x(left)
        pdf.multi_cell(right - left, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _rule(pdf: FPDF, centre: float, width: float) -> None:
    y = pdf.get_y() + 0.5
    pdf.line(centre - width / 2, y, centre + width / 2, y)
    pdf.set_y(y + 1)


def _place_and_date(document: OfficialDocument) -> str:
    day = document.issued_on
    return f"{document.place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _title(pdf: FPDF, document: OfficialDocument) -> None:
    """The kind's name and the subject, centred (a công văn has neither here)."""
    if document.kind.heading is None:
        return
    _column(
        pdf, _LEFT, _RIGHT, [("B", 14, 7, document.kind.heading), ("B", 12, 6, document.subject)]
    )
    _rule(pdf, (_LEFT + _RIGHT) / 2, 30)
    pdf.ln(3)


def _grounds(pdf: FPDF, document: OfficialDocument) -> None:
    if not document.kind.states_grounds:
        return
    pdf.set_font("Serif", "I", 12)
    for ground in document.grounds:
        pdf.multi_cell(0, 6.5, "    " + ground, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _column(pdf, _LEFT, _RIGHT, [("B", 13, 7, "QUYẾT ĐỊNH:")])
    pdf.ln(2)


def _addressees_and_body(pdf: FPDF, document: OfficialDocument) -> None:
    pdf.set_font("Serif", "", 12)
    addressees = document.addressees if document.kind.addressed else ()
    for index, addressee in enumerate(addressees):
        label = "Kính gửi: " if index == 0 else ""
        pdf.set_x(_LEFT + 25)
        pdf.multi_cell(
            _RIGHT - _LEFT - 25, 6.5, f"{label}{addressee}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(3)
    _grounds(pdf, document)
    pdf.set_font("Serif", "", 12)
    for paragraph in document.body.split("\n\n"):
        text = "    " + " ".join(paragraph.split())
        pdf.multi_cell(0, 6.5, text, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def _closing(pdf: FPDF, document: OfficialDocument) -> None:
    pdf.ln(4)
    if pdf.get_y() > 230:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font("Serif", "B", 11)
    pdf.cell(_SPLIT - _LEFT, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Serif", "", 10)
    for recipient in document.recipients:
        pdf.cell(_SPLIT - _LEFT, 5, f"- {recipient}", new_x="LMARGIN", new_y="NEXT")
    title = [line for line in (document.competence, document.signer_position.upper()) if line]
    pdf.set_y(top)
    _column(pdf, _SPLIT + 15, _RIGHT, [("B", 12, 6, line) for line in title])
    pdf.set_y(pdf.get_y() + 24)  # room for the signature image and the seal
    _column(pdf, _SPLIT + 15, _RIGHT, [("B", 12, 6, document.signer_name)])
