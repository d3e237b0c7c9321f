"""The agencies' books: a register numbers each year from 1 with no gap and no repeat, even
with writers in several processes at once; secret documents have their own series."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from exchange.web.books import BookStore

AGENCY = "000.00.02.H37"


def _take_numbers(root: Path, count: int) -> list[int]:
    store = BookStore(root)
    taken = []
    for _ in range(count):
        with store.edit(AGENCY) as book:
            taken.append(book.next_number(2026, secret=False))
    return taken


def test_numbers_are_unique_and_gapless_across_processes(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        batches = list(pool.map(_take_numbers, [tmp_path] * 4, [25] * 4))
    numbers = sorted(n for batch in batches for n in batch)
    assert numbers == list(range(1, 101))


def test_numbers_are_unique_across_threads(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(_take_numbers, [tmp_path] * 8, [10] * 8))
    assert sorted(n for batch in batches for n in batch) == list(range(1, 81))


def test_each_year_and_the_secret_series_start_at_one(tmp_path: Path) -> None:
    store = BookStore(tmp_path)
    with store.edit(AGENCY) as book:
        drawn = [
            book.next_number(2026, secret=False),
            book.next_number(2026, secret=False),
            book.next_number(2026, secret=True),
            book.next_number(2027, secret=False),
        ]
    assert drawn == [1, 2, 1, 1]
    assert store.read(AGENCY).numbers == {"2026": 2, "2026-secret": 1, "2027": 1}


def test_a_failed_change_is_not_saved(tmp_path: Path) -> None:
    store = BookStore(tmp_path)
    with pytest.raises(RuntimeError), store.edit(AGENCY) as book:
        book.next_number(2026, secret=False)
        raise RuntimeError("the send failed")
    assert store.read(AGENCY).numbers == {}


@pytest.mark.parametrize(
    "name",
    ["../book.json", "book.json", "out-1.sh", "out-x.pdf", "in-../x.edxml", "in-a.b.edxml"],
)
def test_only_book_files_can_be_named(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        BookStore(tmp_path).write_file(AGENCY, name, b"")


@pytest.mark.parametrize(
    "name", ["out-7.pdf", "out-7.edxml", "in-4ec00000-0000-4000-8000-00000000002a.edxml"]
)
def test_a_draft_by_its_number_and_a_received_copy_by_its_doc_id(tmp_path: Path, name: str) -> None:
    store = BookStore(tmp_path)
    store.write_file(AGENCY, name, b"x")
    assert store.read_file(AGENCY, name) == b"x"


@pytest.mark.parametrize("agency", ["../etc", "", "a/b", "x" * 80])
def test_only_agency_codes_name_a_book(tmp_path: Path, agency: str) -> None:
    with pytest.raises(ValueError):
        BookStore(tmp_path).read(agency)
