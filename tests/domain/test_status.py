"""The business status table: every allowed move, and every other move refused."""

from __future__ import annotations

import itertools

import pytest

from exchange.domain.errors import TransitionNotAllowed
from exchange.domain.status import (
    FINAL,
    TRANSITIONS,
    RecallState,
    StatusCode,
    answer_recall,
    transition,
)

S = StatusCode
ALLOWED = {
    (None, S.ARRIVED),
    (S.ARRIVED, S.REJECTED),
    (S.ARRIVED, S.REGISTERED),
    (S.REGISTERED, S.ASSIGNED),
    (S.REGISTERED, S.PROCESSING),
    (S.REGISTERED, S.FINISHED),
    (S.ASSIGNED, S.PROCESSING),
    (S.ASSIGNED, S.FINISHED),
    (S.PROCESSING, S.FINISHED),
}
BUSINESS = [S.ARRIVED, S.REJECTED, S.REGISTERED, S.ASSIGNED, S.PROCESSING, S.FINISHED]


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED, key=str))
def test_allowed_moves_return_the_new_status(current: S | None, target: S) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in itertools.product([None, *BUSINESS], BUSINESS) if pair not in ALLOWED],
)
def test_every_other_move_is_refused(current: S | None, target: S) -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(current, target)
    assert refused.value.code == "status_transition_not_allowed"


def test_rejected_and_finished_are_final() -> None:
    assert {S.REJECTED, S.FINISHED} == FINAL
    assert all(not TRANSITIONS[code] for code in FINAL)


@pytest.mark.parametrize("business", [None, S.ARRIVED, S.REGISTERED, S.PROCESSING])
def test_a_pending_recall_can_be_agreed_before_finishing(business: S | None) -> None:
    assert answer_recall(RecallState.REQUESTED, business, S.RECALL_AGREED) is RecallState.AGREED


def test_a_finished_document_can_only_refuse_a_recall() -> None:
    with pytest.raises(TransitionNotAllowed, match="finished"):
        answer_recall(RecallState.REQUESTED, S.FINISHED, S.RECALL_AGREED)
    assert answer_recall(RecallState.REQUESTED, S.FINISHED, S.RECALL_REFUSED) is RecallState.REFUSED


@pytest.mark.parametrize("recall", [None, RecallState.AGREED, RecallState.REFUSED])
def test_an_answer_without_a_pending_recall_is_refused(recall: RecallState | None) -> None:
    with pytest.raises(TransitionNotAllowed, match="no recall"):
        answer_recall(recall, S.ARRIVED, S.RECALL_REFUSED)


def test_business_codes_are_not_recall_answers() -> None:
    with pytest.raises(TransitionNotAllowed):
        answer_recall(RecallState.REQUESTED, S.ARRIVED, S.REGISTERED)
