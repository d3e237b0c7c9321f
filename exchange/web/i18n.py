"""Two languages, Vietnamese by default and English: a message catalogue and a translator.
Keys are stable names ("nav.inbox"); texts may hold `{name}` placeholders."""

from __future__ import annotations

from typing import Literal

from exchange.web.messages import MESSAGES

__all__ = ["DEFAULT", "LANGUAGES", "Language", "Translator", "language"]

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
DEFAULT: Language = "vi"


def language(value: object) -> Language:
    return "en" if value == "en" else DEFAULT


class Translator:
    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, default: str | None = None, **values: object) -> str:
        """The text of `key` (or of `default` when the catalogue lacks `key`), filled in; with
        `count=1`, the singular `key.one` where the catalogue has one ("1 agency")."""
        if values.get("count") == 1 and f"{key}.one" in MESSAGES:
            key = f"{key}.one"
        entry = MESSAGES.get(key)
        if entry is None and default is not None:
            entry = MESSAGES[default]
        if entry is None:
            raise KeyError(f"No message {key!r} in the catalogue")
        text = entry[self._index]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in MESSAGES
