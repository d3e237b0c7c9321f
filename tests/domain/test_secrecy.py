"""Secrecy: "Mật", "Tối mật", "Tuyệt mật" in any spelling or disguise are refused; words that
merely contain the letters are not."""

from __future__ import annotations

import unicodedata

import pytest

from exchange.domain.messages import EdocMessage, Organization, OtherInfo
from exchange.domain.secrecy import is_secret, is_secret_text, secret_marking

SECRET = [
    "Mật",
    "mật",
    "MẬT",
    "mat",
    "MAT",
    "Tối mật",
    "TOI MAT",
    "toi-mat",
    "Tuyệt mật",
    "tuyệt mật",
    "TUYET MAT",
    "Độ mật: Mật",
    "Do mat: Toi mat",
    "ĐỘ MẬT - TUYỆT MẬT",
    "Tài liệu mật",
    "Mật - Hạn chế phổ biến",
    "Bí mật nhà nước",
    "  mật.  ",
    unicodedata.normalize("NFD", "Tuyệt mật"),
]
DISGUISED = {  # what prints as a secret level is one
    "zero-width space inside": "M\u200bật",
    "soft hyphen inside": "M\u00adật",
    "word joiner and BOM": "\u2060Tối\ufeff mật",
    "zero-width space for the space": "Tối\u200bmật",
    "right-to-left mark": "Tuyệt\u200f mật",
    "Hangul filler inside": "M\u3164ật",
    "combining grapheme joiner": "M\u034fật",
    "variation selector": "Mậ\ufe0ft",
    "Cyrillic М": "\u041cật",
    "Cyrillic а and т": "M\u0430\u0302\u0323\u0442",
    "Greek Μ": "\u039cật",
    "Cyrillic і and о": "T\u043e\u0456 m\u0430t",
    "full-width": "\uff2d\uff41\uff54",
    "mathematical bold": "\U0001d40c\U0001d41a\U0001d42d",
    "small capitals": "\u1d0d\u1d00\u1d1b",
    "decomposed and disguised": unicodedata.normalize("NFD", "B\u00adí m\u200bật"),
}
NOT_SECRET = [
    "",
    "Thường",
    "Lưu hành nội bộ",
    "Liên thông văn bản quốc gia",
    "Không mật",
    "khong mat",
    "Độ mật: Thường",
    "Độ mật",
    "format",
    "Matxcơva",
    "Toàn quốc",
    "Công khai",
    "Thông thường",
    "Khẩn",
    "Thượng khẩn",
    "Hỏa tốc",
    "Tài liệu mật mã",  # cryptographic material: "mật" names no level in the middle
    "Không\u200b mật",  # disguises do not make an innocent value secret either
    "\u041a\u0068ông mật",  # Cyrillic К: still "Không mật"
]


@pytest.mark.parametrize("value", SECRET)
def test_secret_spellings(value: str) -> None:
    assert is_secret_text(value)


@pytest.mark.parametrize("case", sorted(DISGUISED))
def test_disguised_spellings(case: str) -> None:
    assert is_secret_text(DISGUISED[case])


@pytest.mark.parametrize("value", NOT_SECRET)
def test_not_secret(value: str) -> None:
    assert not is_secret_text(value)


def test_secret_marking_is_the_first_secret_value() -> None:
    assert secret_marking(["Thường", "Mật", "Tối mật"]) == "Mật"
    assert secret_marking(["Thường", "Khẩn"]) is None
    assert secret_marking([]) is None


def document(other_info: OtherInfo | None) -> EdocMessage:
    return EdocMessage(Organization("000.00.00.G22"), (), "d-1", other_info=other_info)


@pytest.mark.parametrize(
    ("other_info", "secret"),
    [
        (None, False),
        (OtherInfo(sphere_of_promulgation="Lưu hành nội bộ"), False),
        (OtherInfo(sphere_of_promulgation="Tối mật"), True),
        (OtherInfo(sphere_of_promulgation="Toàn quốc", security_level="Mật"), True),
        (OtherInfo(security_level="Thường"), False),
    ],
)
def test_document_secrecy(other_info: OtherInfo | None, secret: bool) -> None:
    assert is_secret(document(other_info)) is secret
