"""How every `eoffice` command reads its arguments: a mistake is one sentence on one line and
exit 2 (argparse would print the whole usage first), defaults are shown in `--help`, and the
values a command cannot use are refused as they are read."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import NoReturn, TypeVar

__all__ = [
    "Parser",
    "iso_date",
    "non_negative_float",
    "non_negative_int",
    "port",
    "positive_float",
    "positive_int",
]

N = TypeVar("N", int, float)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, and whose help shows the defaults."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see {self.prog} --help)\n")
        sys.exit(2)


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Defaults appended to every option that has one (not to flags or to None)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "%(default)" in text:
            return text
        if action.option_strings or action.nargs in ("?", "*"):
            return f"{text} (default: %(default)s)" if text else "default: %(default)s"
        return text


def positive_int(text: str) -> int:
    value = _number(text, int, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


def non_negative_int(text: str) -> int:
    value = _number(text, int, "a whole number")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def positive_float(text: str) -> float:
    value = _number(text, float, "a number")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
    return value


def non_negative_float(text: str) -> float:
    value = _number(text, float, "a number")
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def port(text: str) -> int:
    value = _number(text, int, "a port number")
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"a TCP port is 1-65535, not {text}")
    return value


def iso_date(text: str) -> str:
    """A calendar date as YYYY-MM-DD (kept as text: the replay's parameters store it so)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None
    return text


def _number(text: str, kind: type[N], what: str) -> N:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
