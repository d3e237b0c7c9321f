"""Anchors for the audit chain: its head (seq, hash) signed with the hub's key, outside the
database.

The chain shows a record changed in place, but not one deleted from the end, nor a rewrite that
re-seals every record after it: whoever can write the database can do both. An anchor is a
line of `audit-anchors.jsonl` (0600, in the data folder) holding a head the hub committed and
an HMAC-SHA256 of it under a key in `audit-anchor.key` (0600, same folder), neither of which is
in the database. `eoffice audit verify` then names the records an anchor saw that are gone,
and the anchored head that no longer matches.

The writer anchors when it starts and stops, and as batches land, every `every_records`
records or `every_seconds` seconds (a ticker thread covers a hub that went quiet): one short
append per many batches, nothing per request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "ANCHORS_FILE",
    "KEY_FILE",
    "Anchor",
    "AnchorError",
    "AnchorLog",
    "AnchorRead",
    "load_key",
    "load_or_create_key",
    "read_anchors",
    "sign",
]

ANCHORS_FILE = "audit-anchors.jsonl"
KEY_FILE = "audit-anchor.key"
_DOMAIN = "eoffice-audit-anchor/1"  # what the MAC is of: never confused with another HMAC
_log = logging.getLogger("exchange.audit")


class AnchorError(Exception):
    """The anchors cannot be read or checked (say, their key is missing)."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head of the chain the hub committed: record `seq` had hash `hash` at `at`."""

    seq: int
    hash: str
    at: datetime
    line: int = 0  # where it is in the anchors file, 1-based (0: not read from a file)


@dataclass(frozen=True, slots=True)
class AnchorRead:
    """The anchors file: the anchors whose MAC holds, and the lines that do not."""

    anchors: tuple[Anchor, ...]
    forged: tuple[int, ...]  # line numbers: not an anchor, or not signed with this hub's key
    path: Path


def _message(seq: int, hash_: str, at: str) -> bytes:
    return f"{_DOMAIN}|{seq}|{hash_}|{at}".encode()


def sign(key: bytes, seq: int, hash_: str, at: str) -> str:
    return hmac.new(key, _message(seq, hash_, at), hashlib.sha256).hexdigest()


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def load_key(folder: Path) -> bytes:
    path = folder / KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        raise AnchorError(f"the anchors' key {path} is missing") from None
    except ValueError:
        raise AnchorError(f"the anchors' key {path} is not a hex key") from None


def load_or_create_key(folder: Path) -> bytes:
    """The hub's anchor key, made on first use: 32 random bytes, hex, in a 0600 file. Written
    aside and linked into place, so worker processes starting together agree on one key."""
    path = folder / KEY_FILE
    if path.exists():
        return load_key(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    aside = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
    try:
        os.link(aside, path)
    except FileExistsError:
        pass  # another process won: use its key
    finally:
        aside.unlink()
    return load_key(folder)


def read_anchors(folder: Path) -> AnchorRead:
    """Every line of the anchors file, checked against the key. No file: no anchors."""
    path = folder / ANCHORS_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return AnchorRead((), (), path)
    key = load_key(folder) if any(line.strip() for line in lines) else b""
    anchors, forged = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        anchor = _parse(key, line, number)
        if anchor is None:
            forged.append(number)
        else:
            anchors.append(anchor)
    return AnchorRead(tuple(anchors), tuple(forged), path)


def _parse(key: bytes, line: str, number: int) -> Anchor | None:
    try:
        fields = json.loads(line)
        seq, hash_, at, mac = int(fields["seq"]), str(fields["hash"]), fields["at"], fields["mac"]
        expected = sign(key, seq, hash_, str(at))
        if not (isinstance(mac, str) and hmac.compare_digest(mac, expected)):
            return None
        return Anchor(seq, hash_, datetime.fromisoformat(at), number)
    except (ValueError, TypeError, KeyError):
        return None


class AnchorLog:
    """The writer's side: appends anchors as the chain grows. Thread-safe (PostgreSQL's
    writer threads land batches concurrently). A folder it cannot write turns anchoring off
    with a warning; the hub keeps serving."""

    def __init__(
        self,
        folder: Path,
        *,
        every_records: int = 10_000,
        every_seconds: float = 30.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.folder = folder
        self._every_records = every_records
        self._every_seconds = every_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._key: bytes | None = None
        self._latest = (0, "")  # the newest head this process saw land
        self._anchored = 0  # the seq of the newest anchor this process wrote (or tried to)
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self.written = 0

    def open(self, head: tuple[int, str]) -> None:
        """Load (or make) the key, anchor the head found at start, start the ticker."""
        try:
            self._key = load_or_create_key(self.folder)
        except (OSError, AnchorError) as error:
            _log.warning("audit anchors off: %s", error)
            return
        self.landed(*head, force=True)
        self._stop.clear()
        self._ticker = threading.Thread(target=self._tick, name="audit-anchors", daemon=True)
        self._ticker.start()

    def landed(self, seq: int, hash_: str, *, force: bool = False) -> None:
        """A batch committed and the chain's head is now (seq, hash): anchor it if due."""
        with self._lock:
            if seq > self._latest[0]:
                self._latest = (seq, hash_)
            if force or self._latest[0] - self._anchored >= self._every_records:
                self._write()

    def close(self, head: tuple[int, str] | None = None) -> None:
        """Anchor the newest head (the database's, when given), stop the ticker."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._ticker = None
        if head is not None:
            self.landed(*head, force=True)
        else:
            with self._lock:
                self._write()

    def _tick(self) -> None:
        while not self._stop.wait(self._every_seconds):
            with self._lock:
                self._write()

    def _write(self) -> None:
        """Under the lock: append the newest head unless it is anchored already."""
        seq, hash_ = self._latest
        if self._key is None or seq <= self._anchored:
            return
        self._anchored = seq  # a failure below is warned once per due anchor, not per batch
        at = _utc_text(self._clock())
        line = {"seq": seq, "hash": hash_, "at": at, "mac": sign(self._key, seq, hash_, at)}
        data = (json.dumps(line, separators=(",", ":")) + "\n").encode()
        try:
            descriptor = os.open(
                self.folder / ANCHORS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
            )
            try:
                os.write(descriptor, data)  # one short write: whole even beside other workers
            finally:
                os.close(descriptor)
        except OSError as error:
            _log.warning("audit anchor not written: %s", error)
            return
        self.written += 1
