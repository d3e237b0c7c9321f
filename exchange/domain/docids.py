"""The docIds connectors see: UUID-shaped strings, one for the sender's document and one for
each recipient's copy, as the national hub gives them (`senderDocId`, `receiverDocId`).

The last group is the stored row's id in hex; the first says which kind of row it names.
"""

from __future__ import annotations

import re

__all__ = ["receiver_doc_id", "receiver_row", "sender_doc_id", "sender_row"]

SENDER, RECEIVER = "5e4d0000", "4ec00000"
_SHAPE = re.compile(r"([0-9a-f]{8})-0000-4000-8000-([0-9a-f]{12})")


def sender_doc_id(document: int) -> str:
    return f"{SENDER}-0000-4000-8000-{document:012x}"


def receiver_doc_id(delivery: int) -> str:
    return f"{RECEIVER}-0000-4000-8000-{delivery:012x}"


def _row(doc_id: str, kind: str) -> int | None:
    found = _SHAPE.fullmatch(doc_id.strip().lower())
    if found is None or found[1] != kind:
        return None
    return int(found[2], 16)


def sender_row(doc_id: str) -> int | None:
    """The document a senderDocId names; None if `doc_id` is not one."""
    return _row(doc_id, SENDER)


def receiver_row(doc_id: str) -> int | None:
    """The delivery a receiverDocId names; None if `doc_id` is not one."""
    return _row(doc_id, RECEIVER)
