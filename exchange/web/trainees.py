"""Trainee accounts and their progress: the trainer makes an account per trainee (the
password is shown once, only its scrypt hash is kept), each lesson a trainee decides is
recorded (their answer, whether it was the right one), and the trainer sees everyone's while
a trainee sees only their own. One JSON file, changed under a lock and replaced atomically."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

__all__ = ["Decision", "Trainee", "TraineeStore"]

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


class Decision(BaseModel):
    lesson: str
    agency: str
    answer: str
    right: bool
    at: datetime


class Trainee(BaseModel):
    name: str
    salt: str
    digest: str
    decisions: list[Decision] = Field(default_factory=list)

    @property
    def right(self) -> int:
        return sum(d.right for d in self.decisions)


class _Roster(BaseModel):
    trainees: list[Trainee] = Field(default_factory=list)


class TraineeStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def all(self) -> list[Trainee]:
        return self._read().trainees

    def get(self, name: str) -> Trainee | None:
        return next((t for t in self.all() if t.name == name), None)

    def add(self, name: str) -> str:
        """A new account; its password (shown once). ValueError for a bad or taken name."""
        if not NAME.fullmatch(name):
            raise ValueError(name)
        password = secrets.token_urlsafe(6)
        salt = secrets.token_hex(16)
        with self._edit() as roster:
            if any(t.name == name for t in roster.trainees):
                raise ValueError(name)
            roster.trainees.append(Trainee(name=name, salt=salt, digest=_hash(password, salt)))
        return password

    def check(self, name: str, password: str) -> bool:
        trainee = self.get(name)
        if trainee is None:
            return False
        return hmac.compare_digest(trainee.digest, _hash(password, trainee.salt))

    def record(self, name: str, decision: Decision) -> None:
        with self._edit() as roster:
            trainee = next((t for t in roster.trainees if t.name == name), None)
            if trainee is not None:
                trainee.decisions.append(decision)

    def forget_progress(self) -> None:
        """A new class: same accounts, no decisions yet."""
        with self._edit() as roster:
            for trainee in roster.trainees:
                trainee.decisions.clear()

    def _read(self) -> _Roster:
        if not self.path.exists():
            return _Roster()
        return _Roster.model_validate_json(self.path.read_bytes())

    @contextmanager
    def _edit(self) -> Iterator[_Roster]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            roster = self._read()
            yield roster
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(roster.model_dump_json(indent=1).encode())
            os.replace(temporary, self.path)


def _hash(password: str, salt: str) -> str:
    return hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()
