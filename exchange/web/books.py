"""Each agency's own books, as its eOffice system keeps them: the register that numbers its
documents (per year, secret documents in a series of their own, Nghị định 30/2020), what it
drafted and sent, what it received. One JSON file per agency under <data dir>/workbench/,
changed under an exclusive file lock and replaced atomically, so concurrent writers (the
poller, the pages, several processes) never lose an update."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Book", "BookStore", "Incoming", "LessonReport", "Note", "Outgoing", "Refusal"]

_SAFE_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,63}")
# a draft's files by its number; a received copy's by its docId (UUID-shaped, opaque)
_SAFE_FILE = re.compile(r"out-[0-9]+\.(pdf|edxml)|in-[0-9A-Za-z][0-9A-Za-z\-]{0,63}\.edxml")


class Note(BaseModel):
    """A status: `responder` said `code` (with `description`) at `at`."""

    responder: str
    code: str
    description: str = ""
    at: datetime


class Refusal(BaseModel):
    status: int
    code: str
    detail: str


class LessonReport(BaseModel):
    """What a one-click lesson did, step by step, and what the receiver concluded."""

    name: str
    detail: dict[str, str] = Field(default_factory=dict)
    receiver_problem: str | None = None
    receiver_reason: str = ""
    receiver_answer: str = ""
    recipient: str = ""  # the agency whose clerk (a trainee) decides
    recipient_doc_id: str = ""  # its copy, where the trainee answers


class Outgoing(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)  # a book from the int docIds' days

    id: int
    template: str
    number: int
    notation: str
    document_id: str
    issued_on: date
    subject: str
    body: str
    secrecy: str = ""  # "" or a level such as "Mật": such documents must not travel
    signer_id: str
    signer_name: str
    signer_position: str
    competence: str = ""
    priority: int = 0
    due_date: date | None = None
    recipients: list[str]
    stage: str = "drafted"  # drafted | person_signed | signed | sent | refused
    created_at: datetime
    person_signed_at: datetime | None = None
    signed_at: datetime | None = None
    sent_at: datetime | None = None
    hub_doc_id: str | None = None  # the hub's docId for the sender (senderDocId)
    refusal: Refusal | None = None
    notes: list[Note] = Field(default_factory=list)  # the recipients' status packages
    recall_requested_at: datetime | None = None
    lesson: LessonReport | None = None

    @property
    def code(self) -> str:
        return f"{self.number:02d}/{self.notation}"


class Incoming(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)  # a book from the int docIds' days

    doc_id: str  # the hub's docId for this agency's copy (receiverDocId)
    sender: str
    sender_name: str
    document_id: str
    code: str
    subject: str
    type_name: str = ""
    priority: int = 0
    due_date: str = ""
    arrived_at: datetime
    checked: str = ""  # the signatures on arrival: "valid" or the problem's code
    answers: list[Note] = Field(default_factory=list)  # what this agency answered
    recall: str | None = None  # 13 asked, 15 agreed, 16 refused
    lesson: str | None = None  # a lesson's document: the clerk decides, the page explains

    @property
    def status(self) -> str | None:
        codes = [n.code for n in self.answers if n.code not in ("15", "16")]
        return codes[-1] if codes else None


class Book(BaseModel):
    agency: str
    numbers: dict[str, int] = Field(default_factory=dict)  # "2026", "2026-secret", "2026-lesson"
    outgoing: list[Outgoing] = Field(default_factory=list)
    incoming: list[Incoming] = Field(default_factory=list)

    def next_number(self, year: int, *, secret: bool = False, lesson: bool = False) -> int:
        """The next number of the year's register; secret documents and lessons each keep a
        series of their own (a lesson never takes a number of the real register)."""
        series = _series(year, secret=secret, lesson=lesson)
        self.numbers[series] = self.numbers.get(series, 0) + 1
        return self.numbers[series]

    def peek_number(self, year: int, *, secret: bool = False) -> int:
        return self.numbers.get(_series(year, secret=secret, lesson=False), 0) + 1

    def draft(self, draft_id: int) -> Outgoing | None:
        return next((d for d in self.outgoing if d.id == draft_id), None)

    def received(self, doc_id: str) -> Incoming | None:
        return next((i for i in self.incoming if i.doc_id == doc_id), None)


def _series(year: int, *, secret: bool, lesson: bool) -> str:
    return f"{year}-lesson" if lesson else f"{year}-secret" if secret else str(year)


class BookStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, agency: str) -> Book:
        path = self._folder(agency) / "book.json"
        if not path.exists():
            return Book(agency=agency)
        return Book.model_validate_json(path.read_bytes())

    @contextmanager
    def edit(self, agency: str) -> Iterator[Book]:
        """The agency's book, locked; saved when the block ends without an error."""
        folder = self._folder(agency)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "book.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            book = self.read(agency)
            yield book
            self._save(folder, book)

    def write_file(self, agency: str, name: str, data: bytes) -> None:
        folder = self._folder(agency)
        folder.mkdir(parents=True, exist_ok=True)
        _replace(folder / _checked(name), data)

    def read_file(self, agency: str, name: str) -> bytes:
        return (self._folder(agency) / _checked(name)).read_bytes()

    def agencies(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.parent.name for p in self.root.glob("*/book.json"))

    def _folder(self, agency: str) -> Path:
        if not _SAFE_CODE.fullmatch(agency):
            raise ValueError(f"Not an agency code: {agency!r}")
        return self.root / agency

    @staticmethod
    def _save(folder: Path, book: Book) -> None:
        _replace(folder / "book.json", book.model_dump_json(indent=1).encode())


def _checked(name: str) -> str:
    if not _SAFE_FILE.fullmatch(name):
        raise ValueError(f"Not a book file: {name!r}")
    return name


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
