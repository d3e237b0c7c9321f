"""The business status lifecycle of one (document, recipient) pair, as data in one place."""

from __future__ import annotations

from enum import StrEnum

from exchange.domain.errors import TransitionNotAllowed

__all__ = [
    "FINAL",
    "RECALL_ANSWERS",
    "TRANSITIONS",
    "RecallState",
    "StatusCode",
    "answer_recall",
    "transition",
]


class StatusCode(StrEnum):
    ARRIVED = "01"
    REJECTED = "02"
    REGISTERED = "03"
    ASSIGNED = "04"
    PROCESSING = "05"
    FINISHED = "06"
    RECALL_REQUESTED = "13"
    RECALL_AGREED = "15"
    RECALL_REFUSED = "16"


class RecallState(StrEnum):
    REQUESTED = "13"
    AGREED = "15"
    REFUSED = "16"


S = StatusCode
# None: delivered, nothing said yet.
TRANSITIONS: dict[StatusCode | None, frozenset[StatusCode]] = {
    None: frozenset({S.ARRIVED}),
    S.ARRIVED: frozenset({S.REJECTED, S.REGISTERED}),
    S.REGISTERED: frozenset({S.ASSIGNED, S.PROCESSING, S.FINISHED}),
    S.ASSIGNED: frozenset({S.PROCESSING, S.FINISHED}),
    S.PROCESSING: frozenset({S.FINISHED}),
    S.REJECTED: frozenset(),
    S.FINISHED: frozenset(),
}
FINAL = frozenset(code for code, moves in TRANSITIONS.items() if code and not moves)
RECALL_ANSWERS = frozenset({S.RECALL_AGREED, S.RECALL_REFUSED})


def transition(current: StatusCode | None, target: StatusCode) -> StatusCode:
    """The recipient's next business status, or `TransitionNotAllowed`."""
    if target not in TRANSITIONS.get(current, frozenset()):
        shown = current.value if current else "none (delivered)"
        raise TransitionNotAllowed(f"Status {target.value} cannot follow {shown}.")
    return target


def answer_recall(
    recall: RecallState | None, business: StatusCode | None, answer: StatusCode
) -> RecallState:
    """A recipient's answer (15 agree, 16 refuse) to the sender's recall request (13)."""
    if answer not in RECALL_ANSWERS:
        raise TransitionNotAllowed(f"Status {answer.value} is not an answer to a recall.")
    if recall is not RecallState.REQUESTED:
        raise TransitionNotAllowed(
            f"Status {answer.value} answers a recall, but no recall (13) is pending."
        )
    if answer is S.RECALL_AGREED and business is S.FINISHED:
        raise TransitionNotAllowed("A document already finished (06) cannot be recalled (15).")
    return RecallState(answer.value)
