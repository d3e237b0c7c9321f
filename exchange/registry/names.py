"""Vietnamese administrative-unit names: normalising the source spelling, and ASCII slugs."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["UNIT_KINDS", "normalise_name", "slugify", "split_unit_name"]

# Unit kinds as they prefix a unit's name, longest first so "Thành phố" wins over "Thị".
UNIT_KINDS: tuple[str, ...] = (
    "Thành phố",
    "Thị trấn",
    "Đặc khu",
    "Thị xã",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_unit_name(name: str) -> tuple[str, str]:
    """Split "Thành Phố Đồng Hới" into ("Thành phố", "Đồng Hới"); the kind is canonical-cased.

    A name with no known kind prefix comes back as ("", name).
    """
    squashed = _squash(name)
    folded = squashed.casefold()
    for kind in UNIT_KINDS:
        if folded.startswith(kind.casefold() + " "):
            return kind, squashed[len(kind) + 1 :]
    return "", squashed


def normalise_name(name: str) -> str:
    """Collapse runs of spaces and fix the kind's casing ("Thị Trấn" -> "Thị trấn").

    The tone-mark placement of the source ("Hoà" / "Hòa") is kept as it is.
    """
    kind, rest = split_unit_name(name)
    return f"{kind} {rest}" if kind else rest


def slugify(text: str) -> str:
    """Lowercase ASCII slug: diacritics stripped, đ -> d, other characters -> "-"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_SLUG.sub("-", ascii_only.lower()).strip("-")
