"""What is sent: a profile's document types, priorities and attachment sizes."""

from __future__ import annotations

from loadtests.profiles.model import Attachments, DocumentType
from loadtests.profiles.reader import Reader
from loadtests.profiles.traffic import sums_to_one

__all__ = ["PRIORITIES", "read_attachments", "read_document_types", "read_priorities"]

PRIORITIES = range(5)  # độ khẩn: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ


def _document_type(reader: Reader) -> DocumentType:
    kind = DocumentType(
        name=reader.text("name"),
        abbreviation=reader.text("abbreviation", empty=True),
        share=reader.number("share", low=0, high=1),
    )
    reader.finish()
    return kind


def read_document_types(root: Reader) -> tuple[DocumentType, ...]:
    kinds = tuple(_document_type(r) for r in root.tables("document_types"))
    sums_to_one(root, "document_types", [k.share for k in kinds])
    return kinds


def read_priorities(root: Reader) -> tuple[tuple[int, float], ...]:
    section = root.table("priorities")
    found = []
    for key in section.names():
        if key not in {str(p) for p in PRIORITIES}:
            section.fail(key, f"unknown priority {key!r} (độ khẩn 0-4)")
        found.append((int(key), section.number(key, low=0, high=1)))
    sums_to_one(root, "priorities", [share for _, share in found])
    return tuple(sorted(found))


def read_attachments(root: Reader) -> Attachments:
    section = root.table("attachments")
    sizes = Attachments(
        median=section.size("median"),
        sigma=section.number("sigma", low=0),
        tail_share=section.number("tail_share", low=0, high=1),
        tail_from=section.size("tail_from"),
        tail_alpha=section.number("tail_alpha", low=0),
        largest=section.size("max"),
    )
    if sizes.tail_alpha <= 0:
        section.fail("tail_alpha", "must be above 0")
    if sizes.largest < max(sizes.median, sizes.tail_from):
        section.fail("max", "smaller than the median or the tail's start")
    section.finish()
    return sizes
