"""What a user's mistake that reached a command says: one sentence, exit 2. The errors are
the packages' own (a registry or a profile not found, a file missing, an edXML that does not
parse, a database not reachable, a setting refused); anything else is a bug and keeps its
traceback."""

from __future__ import annotations

from pydantic import ValidationError

from exchange.db.problems import database_problem
from exchange.domain.errors import ExchangeError
from exchange.registry import InvalidRegistry, UnknownRegistry
from loadtests.profiles import ProfileError
from signing import SigningError

__all__ = ["explain"]

_SAID_AS_IS = (UnknownRegistry, InvalidRegistry, ProfileError, SigningError, ExchangeError)


def explain(error: BaseException) -> str | None:
    """The one-line sentence for a user's mistake; None for an error that is not one."""
    if isinstance(error, _SAID_AS_IS):
        return _one_line(str(error))
    if isinstance(error, ValidationError):
        return _settings(error)
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    return database_problem(error)


def _settings(error: ValidationError) -> str:
    found = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper()
        found.append(f"EXCHANGE_{name}: {problem['msg']}" if name else problem["msg"])
    return "setting refused: " + "; ".join(found)


def _one_line(text: str) -> str:
    return " ".join(text.split())
