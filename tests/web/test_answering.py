"""The answers a received document's page offers are exactly the moves the hub accepts."""

from __future__ import annotations

import itertools

import pytest

from exchange.domain.errors import TransitionNotAllowed
from exchange.domain.status import RecallState, StatusCode, answer_recall, transition
from exchange.web.answering import ORDER, possible_answers

STATUSES = (None, "01", "02", "03", "04", "05", "06")
RECALLS = (None, "13", "15", "16")


def _hub_accepts(status: str | None, recall: str | None, code: str) -> bool:
    """The hub's lifecycle; and a recipient that agreed to a recall (15) moves no further."""
    if recall == "15":
        return False
    business = StatusCode(status) if status else StatusCode.ARRIVED
    try:
        if code in ("15", "16"):
            answer_recall(RecallState(recall) if recall else None, business, StatusCode(code))
        else:
            transition(business, StatusCode(code))
    except TransitionNotAllowed:
        return False
    return True


@pytest.mark.parametrize(("status", "recall"), list(itertools.product(STATUSES, RECALLS)))
def test_the_page_offers_what_the_hub_accepts(status: str | None, recall: str | None) -> None:
    offered = set(possible_answers(status, recall))
    assert offered == {code for code in ORDER if _hub_accepts(status, recall, code)}


def test_after_a_recall_is_agreed_nothing_is_offered() -> None:
    assert possible_answers("03", "15") == ()


def test_a_finished_document_can_only_refuse_a_recall() -> None:
    assert possible_answers("06", "13") == ("16",)


def test_registering_comes_before_returning() -> None:
    assert possible_answers("01", None) == ("03", "02")
