"""What a recipient may answer now, read from the hub's own lifecycle (exchange.domain.status),
so a page never offers a move the hub refuses: statuses go forward only, 02 and 06 are final,
a recall (13) is answered 15 or 16 (only 16 once the document is finished), and a recipient
that agreed to a recall (15) moves the document no further."""

from __future__ import annotations

from exchange.domain.status import TRANSITIONS, RecallState, StatusCode

__all__ = ["ORDER", "possible_answers"]

ORDER = ("03", "04", "05", "06", "02", "15", "16")  # the usual answer first, 02 last


def possible_answers(status: str | None, recall: str | None) -> tuple[str, ...]:
    """The codes the hub accepts from a recipient at `status` with recall state `recall`."""
    if recall == RecallState.AGREED:
        return ()
    current = StatusCode(status) if status else StatusCode.ARRIVED
    codes = {code.value for code in TRANSITIONS.get(current, frozenset())}
    if recall == RecallState.REQUESTED:
        codes.add(StatusCode.RECALL_REFUSED.value)
        if current is not StatusCode.FINISHED:
            codes.add(StatusCode.RECALL_AGREED.value)
    return tuple(code for code in ORDER if code in codes)
