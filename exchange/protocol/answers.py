"""The hub's answers as a connector reads them: the JSON body decides, never the HTTP status.

Every answer carries `status` ("OK" | "FAIL"), `ErrorCode` ("0" on success, else the hub's
stable refusal code) and `ErrorDesc` (a sentence). downloadEdoc alone answers raw bytes.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Answer", "Refused", "read_answer"]


class Refused(Exception):
    """The hub said FAIL (or answered nothing a connector can read)."""

    def __init__(self, code: str, desc: str, http_status: int = 0) -> None:
        super().__init__(f"{code}: {desc}")
        self.code, self.desc, self.http_status = code, desc, http_status


@dataclass(frozen=True, slots=True)
class Answer:
    ok: bool
    error_code: str
    error_desc: str
    http_status: int
    fields: dict[str, Any] = field(default_factory=dict)
    raw: bytes = b""  # downloadEdoc's bytes

    def raise_if_refused(self) -> Answer:
        if not self.ok:
            raise Refused(self.error_code, self.error_desc, self.http_status)
        return self

    @property
    def data(self) -> list[dict[str, Any]]:
        rows = self.fields.get("data")
        return list(rows) if isinstance(rows, list) else []

    @property
    def edxml(self) -> bytes:
        """getEdoc's base64 `data`, or downloadEdoc's raw body."""
        if self.raw:
            return self.raw
        return base64.b64decode(str(self.fields.get("data", "")))

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]


def read_answer(body: bytes, http_status: int, *, raw: bool = False) -> Answer:
    """The answer's envelope; `raw` for downloadEdoc, whose success is the file itself."""
    if raw and body and not body.lstrip().startswith(b"{"):
        return Answer(True, "0", "", http_status, raw=body)
    try:
        fields = json.loads(body)
    except ValueError:
        return Answer(False, "unreadable_answer", _excerpt(body, http_status), http_status)
    if not isinstance(fields, dict) or "status" not in fields or "ErrorCode" not in fields:
        return Answer(False, "unreadable_answer", _excerpt(body, http_status), http_status)
    ok = fields["status"] == "OK" and str(fields["ErrorCode"]) == "0"
    code, desc = str(fields["ErrorCode"]), str(fields.get("ErrorDesc", ""))
    return Answer(ok, code, desc, http_status, fields)


def _excerpt(body: bytes, http_status: int) -> str:
    return f"HTTP {http_status}, no VXP envelope: {body[:120]!r}"
