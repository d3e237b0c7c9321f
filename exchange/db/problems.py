"""A database a command cannot use, said in one sentence (the command line's side: the
server's own errors go through the API's table)."""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

__all__ = ["database_problem"]


def database_problem(error: BaseException) -> str | None:
    """The sentence for an error that comes from reaching or naming the database; None for
    any other error."""
    if isinstance(error, ArgumentError | NoSuchModuleError):
        return f"the database URL is not one the hub can use ({error})"
    if isinstance(error, DBAPIError):
        reason = str(error.orig if error.orig is not None else error).strip()
        first = reason.splitlines()[0] if reason else type(error).__name__
        return f"cannot use the database: {first}"
    return None
