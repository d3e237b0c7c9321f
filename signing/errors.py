"""The one error base of `signing`; errors carry data, never HTTP codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signing.verify import DocumentVerification, VerificationResult

__all__ = ["PkiError", "SignatureInvalid", "SigningError"]


class SigningError(Exception):
    """Base of every error raised by `signing`."""


class PkiError(SigningError):
    """The PKI directory is missing, already initialised, or has no such certificate."""


class SignatureInvalid(SigningError):
    """A verification result turned into an error by `raise_if_invalid()`."""

    def __init__(self, result: VerificationResult | DocumentVerification) -> None:
        super().__init__(f"{result.problem}: {result.reason}")
        self.result = result
