"""The hub's limits on one edXML message: generous for real traffic, checked before any field
is read, so a bomb is refused in milliseconds with `edxml_limit_exceeded`.

Real traffic: a province sends a directive to its 145 (up to ~260) communes; the national
directory holds ~13,000 agencies, so even a ministry's broadcast is a few thousand `To`. A
real message has a few hundred elements nested about ten deep (XAdES signatures the deepest).

The field lengths are the database's column sizes (`exchange.db.models`; a test keeps them
equal): longer values are refused at parse time, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DOCUMENT_ID_LENGTH", "LIMITS", "ORGAN_ID_LENGTH", "EdxmlLimits"]

ORGAN_ID_LENGTH = 35  # QCVN 102 (2022 amendment); agencies.code, documents.sender_code
DOCUMENT_ID_LENGTH = 255  # documents.document_id


@dataclass(frozen=True, slots=True)
class EdxmlLimits:
    max_nodes: int = 100_000  # elements and comments in the whole message
    max_depth: int = 64  # elements nested in one another, the root counting one
    max_recipients: int = 5_000  # edXML:To elements

    @property
    def max_markup(self) -> int:
        """`<` characters over which a body is refused unparsed. An element or comment
        takes one or two; the rest is room for `<` written inside comments and CDATA."""
        return 4 * self.max_nodes


LIMITS = EdxmlLimits()
