"""The docIds of recent accepted sends by system and key (the call's messagetype, `from` and
the SHA-256 of the file): a connector's retry of the same bytes is answered from its headers
and digest, without parsing the edXML again.

What it answers is what parsing would: the same bytes from the same system give the same
dedup key, hence the same stored document. Per process and bounded; a miss (another worker,
an old send) takes the ordinary path, which answers the same.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["RecentSends"]


class RecentSends:
    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._doc_ids: OrderedDict[tuple[str, str], int] = OrderedDict()

    def get(self, system_id: str, key: str) -> int | None:
        entry = (system_id, key)
        doc_id = self._doc_ids.get(entry)
        if doc_id is not None:
            self._doc_ids.move_to_end(entry)
        return doc_id

    def remember(self, system_id: str, key: str, doc_id: int) -> None:
        self._doc_ids[(system_id, key)] = doc_id
        self._doc_ids.move_to_end((system_id, key))
        if len(self._doc_ids) > self._capacity:
            self._doc_ids.popitem(last=False)
