"""Kinds of administrative document and how Nghị định 30/2020 Phụ lục III lays each out.

A công văn carries its subject ("V/v ...") under its number and is addressed ("Kính gửi");
the other kinds carry their name as a title in the middle of the page with the subject
(trích yếu) under it; a tờ trình is addressed too, under its title; a quyết định states its
grounds ("Căn cứ ...") before "QUYẾT ĐỊNH:" and its articles.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DocumentType"]


class DocumentType(StrEnum):
    CONG_VAN = "công văn"
    QUYET_DINH = "quyết định"
    THONG_BAO = "thông báo"
    KE_HOACH = "kế hoạch"
    GIAY_MOI = "giấy mời"
    BAO_CAO = "báo cáo"
    TO_TRINH = "tờ trình"

    @property
    def heading(self) -> str | None:
        """The name printed in the middle of the page; None for a công văn."""
        return None if self is DocumentType.CONG_VAN else self.value.upper()

    @property
    def addressed(self) -> bool:
        """Whether the document names its addressees ("Kính gửi")."""
        return self in (DocumentType.CONG_VAN, DocumentType.TO_TRINH)

    @property
    def states_grounds(self) -> bool:
        """A quyết định: "Căn cứ ..." paragraphs, then "QUYẾT ĐỊNH:" before its articles."""
        return self is DocumentType.QUYET_DINH
