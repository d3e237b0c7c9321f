"""Secrecy ("độ mật"): state-secret documents never travel through the hub (QĐ 28/2018).

edXML has no secrecy field; partners write the level in OtherInfo/SphereOfPromulgation or in
an added SecurityLevel. A value is secret when, compared word by word without case or
diacritics, it names a level: "Mật", "Tối mật", "Tuyệt mật" or "Bí mật":

- the value starts or ends with "mật" ("Mật", "Tài liệu mật", "MAT - hạn chế"), after an
  optional "Độ mật:" label, unless the word before it is "không" ("Không mật");
- or "tối mật", "tuyệt mật" or "bí mật" appears anywhere ("Bí mật nhà nước").

Words are whole, so "format" does not match, nor does "Lưu hành nội bộ", nor "Tài liệu mật
mã" (cryptographic material: "mật" there is neither first nor last, so it names no level;
"Mật mã" alone starts with it and is refused). Without diacritics "mặt" and "mất" read as
"mat" too: refusing such a value is the safe mistake.

A marking is read as a person sees it, so it cannot be disguised: compatibility forms are
folded (NFKC: full-width and mathematical letters), marks and characters that print nothing
(format characters such as the zero-width space and the soft hyphen, Hangul fillers) are
dropped, and common Cyrillic, Greek and small-capital look-alikes read as the Latin letter
("Мật" with a Cyrillic М). An invisible character between two words is read both ways, as
nothing and as a space, and either reading being secret makes the value secret.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from exchange.domain.messages import EdocMessage

__all__ = ["is_secret", "is_secret_text", "secret_marking"]

_WORD = re.compile(r"[a-z0-9]+")
_LABEL = ("do", "mat")
_SECRET = "mat"
_NEGATION = "khong"
_QUALIFIED = (("toi", "mat"), ("tuyet", "mat"), ("bi", "mat"))
_MARKS = frozenset({"Mn", "Me"})  # combining marks: diacritics, variation selectors
_DIACRITICS = dict.fromkeys(range(0x300, 0x370))  # the common combining marks, all Mn
_CACHED_LENGTH = 200
_GAP = "\x00"  # stands for an invisible character until it is read as nothing or a space
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers (category Lo)


def _table(*pairs: tuple[str, str]) -> dict[int, str]:
    return {
        ord(look): latin
        for looks, latins in pairs
        for look, latin in zip(looks, latins, strict=True)
    }


_LATIN = _table(  # lower-case look-alikes (the text is case-folded first), and đ
    ("аветікмнорсјѕухԁһӏђ", "avetikmhopcjsyxdhld"),  # Cyrillic
    ("αβεηικμνορτυχζϲϳ", "abenikmvoptuxzcj"),  # Greek
    ("ᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdeghijklmnoprstuvwyz"),  # Latin small capitals
    ("ıɑđð", "iadd"),
)
_FOLD = {**_DIACRITICS, **_LATIN}


def is_secret(message: EdocMessage) -> bool:
    """True when the document declares a secrecy level: the hub must refuse it."""
    info = message.other_info
    if info is None:
        return False
    return is_secret_text(info.sphere_of_promulgation) or is_secret_text(info.security_level)


def is_secret_text(value: str) -> bool:
    """True when `value` names a secrecy level (see the module docstring)."""
    return _is_secret_short(value) if len(value) <= _CACHED_LENGTH else _is_secret(value)


@lru_cache(maxsize=4096)
def _is_secret_short(value: str) -> bool:
    """Real markings are few and short ("Thường", "Lưu hành nội bộ"): each is read once."""
    return _is_secret(value)


def _is_secret(value: str) -> bool:
    printed = _printed(value)
    readings = {printed.replace(_GAP, ""), printed.replace(_GAP, " ")}
    return any(_names_a_level(_WORD.findall(reading)) for reading in readings)


def secret_marking(values: Iterable[str]) -> str | None:
    """The first of `values` that names a secrecy level, or None."""
    return next((value for value in values if is_secret_text(value)), None)


def _names_a_level(words: list[str]) -> bool:
    if words[:2] == list(_LABEL):
        words = words[2:]
    if any(_contains(words, phrase) for phrase in _QUALIFIED):
        return True
    starts = words[:1] == [_SECRET]
    ends = words[-1:] == [_SECRET] and words[-2:-1] != [_NEGATION]
    return starts or ends


def _printed(value: str) -> str:
    """The value as it prints, case-folded, without marks: each invisible character as _GAP.
    NFKD applies NFKC's folding and sets diacritics apart; a Vietnamese value is ASCII once
    its diacritics (U+0300-U+036F) are dropped and đ is read as d, so it skips the loop."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", value).casefold())
    plain = folded.translate(_FOLD)
    return plain if plain.isascii() else "".join(_printed_char(char) for char in plain)


def _printed_char(char: str) -> str:
    category = unicodedata.category(char)
    if category in _MARKS:
        return ""
    if category == "Cf" or char in _INVISIBLE_LETTERS:
        return _GAP
    return char


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[at : at + size]) == phrase for at in range(len(words) - size + 1))
