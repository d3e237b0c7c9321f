"""The official-document PDF: Vietnamese text that renders and extracts back."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from signing import pdf as pdf_module
from signing.doctypes import DocumentType
from signing.errors import SigningError
from signing.pdf import MOTTO, NATIONAL_TITLE, OfficialDocument, render_pdf
from tests.signing.support import run, tool


def _text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(BytesIO(data)).pages)


def test_vietnamese_text_extracts_back(pdf: bytes, document: OfficialDocument) -> None:
    text = " ".join(_text(pdf).split())
    for expected in (
        NATIONAL_TITLE,
        MOTTO,
        "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
        "Số: 125/UBND-VP",
        "Ninh Bình, ngày 05 tháng 03 năm 2026",
        "V/v triển khai liên thông văn bản điện tử",
        "Kính gửi: Các sở, ban, ngành tỉnh;",
        "Nghị định số 30/2020/NĐ-CP",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        document.signer_name,
        "Nơi nhận:",
    ):
        assert expected in text, expected


def test_the_same_document_renders_the_same_bytes(document: OfficialDocument, pdf: bytes) -> None:
    assert render_pdf(document) == pdf
    assert document.document_id == "000.00.20.H42,2026/03/05,125/UBND-VP"


def test_poppler_renders_the_first_page(pdf: bytes, tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(pdf)
    rendered = run(
        tool("pdftoppm"),
        "-png",
        "-r",
        "50",
        "-f",
        "1",
        "-l",
        "1",
        tmp_path / "doc.pdf",
        tmp_path / "page",
    )
    assert rendered.returncode == 0, rendered.stderr
    (page,) = tmp_path.glob("page*.png")
    assert page.stat().st_size > 5_000


def test_a_missing_font_is_a_clear_error(
    document: OfficialDocument, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf_module, "FONT_DIRECTORY", tmp_path)
    with pytest.raises(SigningError, match="fonts-dejavu-core"):
        render_pdf(document)


@pytest.mark.parametrize("kind", list(DocumentType))
def test_each_kind_is_laid_out_as_its_type(
    kind: DocumentType, document: OfficialDocument, tmp_path: Path
) -> None:
    """Phụ lục III: a công văn's subject under its number and "Kính gửi"; the others' name
    as a title with the subject under it; a quyết định's grounds, then "QUYẾT ĐỊNH:"."""
    grounds = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020;",)
    data = render_pdf(replace(document, kind=kind, grounds=grounds))
    text = " ".join(_text(data).split())
    assert (kind.heading is None) or text.count(kind.heading) >= 1
    assert ("Kính gửi:" in text) is kind.addressed
    assert ("QUYẾT ĐỊNH:" in text) is (kind is DocumentType.QUYET_DINH)
    assert ("Căn cứ Nghị định" in text) is (kind is DocumentType.QUYET_DINH)
    (tmp_path / "doc.pdf").write_bytes(data)
    rendered = run(tool("pdftoppm"), "-png", "-r", "30", tmp_path / "doc.pdf", tmp_path / "page")
    assert rendered.returncode == 0 and (tmp_path / "page-1.png").stat().st_size > 0
