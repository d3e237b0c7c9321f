"""Secrecy: "Mật", "Tối mật", "Tuyệt mật" in any spelling are refused; look-alikes are not."""

from __future__ import annotations

import unicodedata

import pytest

from exchange.domain.messages import EdocMessage, Organization, OtherInfo
from exchange.domain.secrecy import is_secret, is_secret_text

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
]


@pytest.mark.parametrize("value", SECRET)
def test_secret_spellings(value: str) -> None:
    assert is_secret_text(value)


@pytest.mark.parametrize("value", NOT_SECRET)
def test_not_secret(value: str) -> None:
    assert not is_secret_text(value)


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
