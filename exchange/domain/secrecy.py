"""Secrecy ("độ mật"): state-secret documents never travel through the hub (QĐ 28/2018).

edXML has no secrecy field; partners write the level in OtherInfo/SphereOfPromulgation or in
an added SecurityLevel. A value is secret when, compared word by word without case or
diacritics, it names a level: "Mật", "Tối mật", "Tuyệt mật" or "Bí mật":

- the value starts or ends with "mật" ("Mật", "Tài liệu mật", "MAT - hạn chế"), after an
  optional "Độ mật:" label, unless the word before it is "không" ("Không mật");
- or "tối mật", "tuyệt mật" or "bí mật" appears anywhere ("Bí mật nhà nước").

Words are whole, so "format" does not match, nor does "Lưu hành nội bộ". Without
diacritics "mặt" and "mất" read as "mat" too: refusing such a value is the safe mistake.
"""

from __future__ import annotations

import re
import unicodedata

from exchange.domain.messages import EdocMessage

__all__ = ["is_secret", "is_secret_text"]

_WORD = re.compile(r"[a-z0-9]+")
_LABEL = ("do", "mat")
_SECRET = "mat"
_NEGATION = "khong"
_QUALIFIED = (("toi", "mat"), ("tuyet", "mat"), ("bi", "mat"))


def is_secret(message: EdocMessage) -> bool:
    """True when the document declares a secrecy level: the hub must refuse it."""
    info = message.other_info
    if info is None:
        return False
    return is_secret_text(info.sphere_of_promulgation) or is_secret_text(info.security_level)


def is_secret_text(value: str) -> bool:
    """True when `value` names a secrecy level (see the module docstring)."""
    words = _words(value)
    if words[:2] == list(_LABEL):
        words = words[2:]
    if any(_contains(words, phrase) for phrase in _QUALIFIED):
        return True
    starts = words[:1] == [_SECRET]
    ends = words[-1:] == [_SECRET] and words[-2:-1] != [_NEGATION]
    return starts or ends


def _words(value: str) -> list[str]:
    """Lower-case ASCII words: diacritics stripped, đ read as d."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(bare)


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[at : at + size]) == phrase for at in range(len(words) - size + 1))
