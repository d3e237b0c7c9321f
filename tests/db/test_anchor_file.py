"""The anchors file and its key, and the judgement of a chain against anchors: pure, no
database (the chain read back from a database is in test_audit_anchors)."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exchange.db.anchors import (
    ANCHORS_FILE,
    KEY_FILE,
    Anchor,
    AnchorError,
    AnchorLog,
    load_or_create_key,
    read_anchors,
    sign,
)
from exchange.db.audit_check import Cut, Rewrite, judge

AT = datetime(2018, 5, 2, 9, 15, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _log(folder: Path, **options: float) -> AnchorLog:
    return AnchorLog(folder, clock=lambda: AT, **options)  # type: ignore[arg-type]


def test_the_mac_is_hmac_sha256_of_the_labelled_head() -> None:
    import hashlib
    import hmac

    key = bytes(range(32))
    message = b"eoffice-audit-anchor/1|7|" + b"ab" * 32 + b"|2018-05-02T09:15:00.000000+00:00"
    expected = hmac.new(key, message, hashlib.sha256).hexdigest()
    assert sign(key, 7, "ab" * 32, "2018-05-02T09:15:00.000000+00:00") == expected


def test_anchors_and_key_are_private_files_and_read_back(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: files 0644 unless made otherwise
    try:
        log = _log(tmp_path)
        log.open((3, "c" * 64))
        log.landed(5, "e" * 64)
        log.close()
    finally:
        os.umask(previous)
    assert _mode(tmp_path / KEY_FILE) == 0o600
    assert _mode(tmp_path / ANCHORS_FILE) == 0o600
    read = read_anchors(tmp_path)
    assert [(a.seq, a.hash, a.line) for a in read.anchors] == [(3, "c" * 64, 1), (5, "e" * 64, 2)]
    assert read.forged == ()


def test_a_line_not_signed_with_the_key_is_forged(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.open((3, "c" * 64))
    log.close()
    line = json.loads((tmp_path / ANCHORS_FILE).read_text())
    other_key = bytes(32)
    forged = {**line, "seq": 9, "mac": sign(other_key, 9, line["hash"], line["at"])}
    altered = {**line, "seq": 4}  # the right key's MAC, of another head
    with (tmp_path / ANCHORS_FILE).open("a") as file:
        for bad in (forged, altered):
            file.write(json.dumps(bad) + "\n")
        file.write("not json\n")
    read = read_anchors(tmp_path)
    assert [a.seq for a in read.anchors] == [3]
    assert read.forged == (2, 3, 4)


def test_anchors_without_their_key_cannot_be_checked(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.open((3, "c" * 64))
    log.close()
    (tmp_path / KEY_FILE).unlink()
    with pytest.raises(AnchorError, match="missing"):
        read_anchors(tmp_path)


def test_no_anchors_file_reads_as_no_anchors(tmp_path: Path) -> None:
    assert read_anchors(tmp_path).anchors == ()


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    keys: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: keys.append(load_or_create_key(tmp_path))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]  # no key left aside


def test_an_anchor_is_written_every_n_records_not_every_batch(tmp_path: Path) -> None:
    log = _log(tmp_path, every_records=100)
    log.open((0, ""))
    for seq in range(1, 1001):  # a batch of one record each
        log.landed(seq, f"{seq:064x}")
    assert log.written == 10
    log.close()
    assert [a.seq for a in read_anchors(tmp_path).anchors] == [100 * n for n in range(1, 11)]


def test_a_quiet_hub_anchors_its_head_within_the_interval(tmp_path: Path) -> None:
    log = _log(tmp_path, every_records=10_000, every_seconds=0.05)
    log.open((0, ""))
    log.landed(7, "7" * 64)
    time.sleep(0.3)
    assert [a.seq for a in read_anchors(tmp_path).anchors] == [7]  # before close
    log.close()
    assert log.written == 1  # the head was anchored already


def test_a_folder_it_cannot_write_turns_anchoring_off(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    log = _log(blocked)
    log.open((3, "c" * 64))
    log.landed(4, "d" * 64)
    log.close()
    assert log.written == 0


def _anchor(seq: int, hash_: str, line: int = 0) -> Anchor:
    return Anchor(seq, hash_, AT, line)


CHAIN = {seq: f"h{seq}" for seq in range(1, 21)}


def test_a_chain_that_matches_its_anchors_holds() -> None:
    anchors = [_anchor(5, "h5"), _anchor(10, "h10"), _anchor(10, "h10")]
    assert judge(anchors, CHAIN, 20) == (anchors[1], None, None)


def test_records_anchored_beyond_the_end_are_cut() -> None:
    anchors = [_anchor(5, "h5"), _anchor(10, "h10"), _anchor(20, "h20", line=3)]
    holds, rewritten, cut = judge(anchors, CHAIN, 12)
    assert (holds, rewritten) == (anchors[1], None)
    assert cut == Cut(13, 20, anchors[2])


def test_an_anchored_head_with_another_hash_is_a_rewrite_after_the_last_that_holds() -> None:
    anchors = [_anchor(5, "h5"), _anchor(10, "resealed"), _anchor(15, "other")]
    holds, rewritten, cut = judge(anchors, CHAIN, 20)
    assert (holds, cut) == (anchors[0], None)
    assert rewritten == Rewrite(anchors[1], anchors[0])


def test_a_rewrite_from_the_first_record_has_no_anchor_that_holds() -> None:
    holds, rewritten, _ = judge([_anchor(5, "x")], CHAIN, 20)
    assert holds is None and rewritten == Rewrite(_anchor(5, "x"), None)
