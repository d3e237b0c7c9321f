"""The receiving clerk's first answer: register (03) a document whose signatures verify,
return it (02) with the reason otherwise, as Nghị định 30/2020 requires."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.protocol.verification import MessageVerification

__all__ = ["Answer", "answer_for"]


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: str  # "03" registered | "02" returned
    description: str


def answer_for(verification: MessageVerification) -> Answer:
    if verification.valid:
        return Answer("03", "Đã tiếp nhận: chữ ký số của người ký và của cơ quan hợp lệ.")
    problem = verification.problem.value if verification.problem else "invalid"
    return Answer("02", f"Từ chối: chữ ký số không hợp lệ ({problem}): {verification.reason}")
