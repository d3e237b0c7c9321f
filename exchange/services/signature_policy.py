"""Signatures on arrival: `off` checks nothing, `record` keeps the result with the delivery,
`enforce` also refuses what does not verify (Nghị định 30/2020: a document needs the
person's and the organisation's valid signatures; an envelope signature, where present, must
hold; an unsigned status package is accepted)."""

from __future__ import annotations

from enum import StrEnum

from exchange.domain.errors import SignatureRejected
from exchange.protocol.verification import MessageVerification

__all__ = ["SignaturePolicy", "enforce"]


class SignaturePolicy(StrEnum):
    OFF = "off"
    RECORD = "record"
    ENFORCE = "enforce"


def enforce(policy: SignaturePolicy, verification: MessageVerification | None) -> None:
    """Raise `SignatureRejected` (code `signature_<problem>`) when the policy refuses."""
    if policy is not SignaturePolicy.ENFORCE or verification is None:
        return
    problem = verification.problem
    if problem is not None:
        raise SignatureRejected(
            problem.value, f"The hub refuses the message: {verification.reason}"
        )
