"""The national protocol's answer: JSON with `status`, `ErrorCode` and `ErrorDesc`, always.

No field is ever `null` (the SDK's parser aborts on one): a missing value is omitted or `""`.
Text is ASCII with `\\u` escapes (the SDK reads sendEdoc's answer as US-ASCII).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import Response

from exchange.domain.errors import ExchangeError
from exchange.protocol.wire import VIETNAM

__all__ = ["VxpResponse", "fail", "ok", "vxp_time"]


class VxpResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(_no_nulls(content), separators=(",", ":"), ensure_ascii=True).encode()


def _no_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_no_nulls(v) for v in value if v is not None]
    return value


def ok(status_code: int = 200, **fields: Any) -> VxpResponse:
    return VxpResponse({"status": "OK", "ErrorCode": "0", "ErrorDesc": "", **fields}, status_code)


def fail(error: ExchangeError, status_code: int, **fields: Any) -> VxpResponse:
    body = {"status": "FAIL", "ErrorCode": error.code, "ErrorDesc": error.message, **fields}
    return VxpResponse(body, status_code)


def vxp_time(moment: datetime | None) -> str:
    """ISO 8601 in Vietnam's time, to the second; "" for no time."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")
