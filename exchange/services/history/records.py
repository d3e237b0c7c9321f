"""The history file: JSON Lines (gzip-compressed when its name ends in `.gz`), one record a
line, read lazily and checked as it goes. Pure but for reading the file.

- `{"type": "history", "format": "eoffice-history/1", "until": ISO time, ...}`: first line;
- `{"type": "attachment", "id", "name", "mime", "data": base64}`: before a document uses it;
- `{"type": "document", "sender", "number", "notation", "subject", "priority", "sent_at",
  "recipients": [codes], "attachments": [ids], "statuses": [{"by", "code", "at"}, ...]}`:
  a document as its sender issued it, with every status about it up to `until`, oldest
  first (`13` by the sender goes to every recipient; any other code is a recipient's).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

__all__ = [
    "FORMAT",
    "HistoryAttachment",
    "HistoryDocument",
    "HistoryHeader",
    "HistoryInvalid",
    "HistoryStatus",
    "read_history",
]

FORMAT = "eoffice-history/1"


class HistoryInvalid(Exception):
    """A history file `eoffice db import-history` cannot load; `code` says why (stable), the
    message names the line. Not one of the hub's refusals: no call of the protocol loads one."""

    def __init__(self, code: str, line: int, message: str) -> None:
        self.message = f"line {line}: {message}" if line else message
        super().__init__(self.message)
        self.code, self.line = code, line


@dataclass(frozen=True, slots=True)
class HistoryHeader:
    until: datetime  # the history holds what happened before this moment
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class HistoryAttachment:
    id: str
    name: str
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class HistoryStatus:
    by: str  # the agency that sent it
    code: str
    at: datetime


@dataclass(frozen=True, slots=True)
class HistoryDocument:
    line: int
    sender: str
    number: int
    notation: str
    subject: str
    priority: int
    sent_at: datetime
    recipients: tuple[str, ...]
    attachments: tuple[str, ...]
    statuses: tuple[HistoryStatus, ...]


Record = HistoryAttachment | HistoryDocument


def read_history(path: Path) -> tuple[HistoryHeader, Generator[Record, None, None]]:
    """The header (read now) and the records after it (read as they are consumed; close the
    generator to close the file early)."""
    stream = _open(path)
    lines = enumerate(stream, start=1)
    first = next(lines, None)
    if first is None:
        stream.close()
        raise HistoryInvalid("history_empty", 0, f"{path} holds no history header")
    try:
        header = _header(_object(*first))
    except HistoryInvalid:
        stream.close()
        raise
    return header, _records(stream, lines)


def _open(path: Path) -> IO[str]:
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rt", encoding="utf-8")
        return path.open(encoding="utf-8")
    except OSError as error:
        raise HistoryInvalid("history_unreadable", 0, f"{path}: {error.strerror}") from None


def _records(stream: IO[str], lines: Iterator[tuple[int, str]]) -> Generator[Record, None, None]:
    with stream:
        for number, text in _guarded(lines):
            if text.strip():
                yield _record(_object(number, text), number)


def _guarded(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    number = 0
    try:
        for number, text in lines:
            yield number, text
    except (OSError, EOFError, UnicodeDecodeError) as error:  # gzip cut short, not UTF-8
        raise HistoryInvalid("history_unreadable", number + 1, str(error)) from None


def _object(number: int, text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise HistoryInvalid("history_format_invalid", number, f"not JSON ({error})") from None
    if not isinstance(value, dict):
        raise HistoryInvalid("history_format_invalid", number, "not a JSON object")
    return value


def _header(value: dict[str, Any]) -> HistoryHeader:
    if value.get("type") != "history" or value.get("format") != FORMAT:
        raise HistoryInvalid(
            "history_format_invalid", 1, f'the first line must be {{"type": "history", '
            f'"format": "{FORMAT}", ...}}'
        )  # fmt: skip
    return HistoryHeader(_time(value, "until", 1), value)


def _record(value: dict[str, Any], line: int) -> Record:
    kind = value.get("type")
    if kind == "attachment":
        return _attachment(value, line)
    if kind == "document":
        return _document(value, line)
    raise HistoryInvalid("history_format_invalid", line, f"unknown record type {kind!r}")


def _attachment(value: dict[str, Any], line: int) -> HistoryAttachment:
    try:
        data = base64.b64decode(_text(value, "data", line), validate=True)
    except binascii.Error:
        raise HistoryInvalid("history_format_invalid", line, "data is not base64") from None
    return HistoryAttachment(
        _text(value, "id", line), _text(value, "name", line), _text(value, "mime", line), data
    )


def _document(value: dict[str, Any], line: int) -> HistoryDocument:
    statuses = value.get("statuses", [])
    if not isinstance(statuses, list) or not all(isinstance(s, dict) for s in statuses):
        raise HistoryInvalid("history_format_invalid", line, "statuses must be a list")
    return HistoryDocument(
        line=line,
        sender=_text(value, "sender", line),
        number=_integer(value, "number", line),
        notation=_text(value, "notation", line),
        subject=_text(value, "subject", line),
        priority=_integer(value, "priority", line),
        sent_at=_time(value, "sent_at", line),
        recipients=_texts(value, "recipients", line),
        attachments=_texts(value, "attachments", line),
        statuses=tuple(
            HistoryStatus(_text(s, "by", line), _text(s, "code", line), _time(s, "at", line))
            for s in statuses
        ),
    )


def _text(value: dict[str, Any], key: str, line: int) -> str:
    found = value.get(key)
    if not isinstance(found, str) or not found:
        raise HistoryInvalid("history_format_invalid", line, f"{key} must be a non-empty string")
    return found


def _texts(value: dict[str, Any], key: str, line: int) -> tuple[str, ...]:
    found = value.get(key)
    if not isinstance(found, list) or not all(isinstance(v, str) and v for v in found):
        raise HistoryInvalid("history_format_invalid", line, f"{key} must be a list of strings")
    return tuple(found)


def _integer(value: dict[str, Any], key: str, line: int) -> int:
    found = value.get(key)
    if not isinstance(found, int) or isinstance(found, bool) or found < 0:
        raise HistoryInvalid("history_format_invalid", line, f"{key} must be an integer >= 0")
    return found


def _time(value: dict[str, Any], key: str, line: int) -> datetime:
    try:
        found = datetime.fromisoformat(_text(value, key, line))
    except ValueError:
        raise HistoryInvalid("history_format_invalid", line, f"{key} is not an ISO time") from None
    if found.tzinfo is None:
        raise HistoryInvalid("history_format_invalid", line, f"{key} has no time zone")
    return found
