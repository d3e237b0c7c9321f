"""`Prepared`: a Core statement compiled once per database, run straight on the driver.

On the hot calls SQLAlchemy's execution machinery (execution context, events, result
objects) costs five to six times what SQLite takes to run the statement (~80 us against
~14 us for a primary-key SELECT on the machine of ../shared/limits.md). The statements stay
SQLAlchemy Core, written once and compiled by SQLAlchemy for each dialect; `Prepared` keeps
that compiled text and the column types' own bind and result processors (so a datetime is
stored and read back exactly as SQLAlchemy would), and hands the text and parameters to the
connection's DBAPI cursor, inside whatever transaction or savepoint the connection holds.

Not for statements with expanding (IN-list) parameters: those go through `execute`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

__all__ = ["Prepared"]

Processor = Callable[[Any], Any] | None
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    binds: Mapping[str, Processor]
    results: tuple[Processor, ...]
    positional: bool

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        bound = []
        for name in self.names:
            value = values[name] if name in values else self.defaults[name]
            process = self.binds[name]
            bound.append(process(value) if process is not None and value is not None else value)
        return tuple(bound) if self.positional else dict(zip(self.names, bound, strict=True))

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            p(v) if p is not None and v is not None else v
            for p, v in zip(self.results, raw, strict=True)
        )


class Prepared:
    """One statement; `rows`, `first` and `run` execute it on a connection's driver."""

    __slots__ = ("_by_key", "_statement")

    def __init__(self, statement: Executable) -> None:
        self._statement = statement
        self._by_key: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        compiled = self._compiled(connection.dialect, ())
        found = _execute(connection, compiled, values, lambda cursor: cursor.fetchall())
        return [compiled.row(raw) for raw in found]

    def first(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        compiled = self._compiled(connection.dialect, ())
        raw = _execute(connection, compiled, values, lambda cursor: cursor.fetchone())
        return compiled.row(raw) if raw is not None else None

    def run(self, connection: Connection, values: Mapping[str, Any]) -> int:
        """An UPDATE or DELETE: the rows it touched."""
        compiled = self._compiled(connection.dialect, ())
        return int(_execute(connection, compiled, values, lambda cursor: cursor.rowcount))

    def insert(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """An INSERT of each row (all with the keys of the first)."""
        if not rows:
            return
        compiled = self._compiled(connection.dialect, tuple(rows[0]))
        cursor = connection.connection.cursor()
        try:
            parameters: Any = [compiled.parameters(row) for row in rows]
            cursor.executemany(compiled.sql, parameters)
        finally:
            cursor.close()

    def insert_returning(self, connection: Connection, row: Mapping[str, Any]) -> Any:
        """An INSERT ... RETURNING of one row: the first value returned."""
        compiled = self._compiled(connection.dialect, tuple(row))
        raw = _execute(connection, compiled, row, lambda cursor: cursor.fetchone())
        return compiled.row(raw)[0]

    def _compiled(self, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
        key = (dialect.name, keys)
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = _compile(self._statement, dialect, keys)
        return found


def _execute(
    connection: Connection,
    compiled: _Compiled,
    values: Mapping[str, Any],
    read: Callable[[Any], T],
) -> T:
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.sql, compiled.parameters(values))
        return read(cursor)
    finally:
        cursor.close()


def _compile(statement: Executable, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
    """The text, parameter order, literal values and type processors, for `dialect`; `keys`:
    the columns an INSERT sets (none for other statements)."""
    assert isinstance(statement, ClauseElement)
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) or None)
    assert isinstance(compiled, SQLCompiler)
    if "POSTCOMPILE" in compiled.string:
        raise ValueError(f"{compiled.string!r} has parameters rendered per execution")
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(by_name)
    return _Compiled(
        sql=compiled.string,
        names=names,
        defaults={name: by_name[name].effective_value for name in names},
        binds={name: by_name[name].type._cached_bind_processor(dialect) for name in names},
        results=tuple(
            column.type._cached_result_processor(dialect, None) for column in _returned(statement)
        ),
        positional=positional,
    )


def _returned(statement: Executable) -> list[Any]:
    """The columns a SELECT (or an INSERT ... RETURNING) gives back."""
    columns: Any = getattr(statement, "selected_columns", None)
    if columns is None:
        columns = getattr(statement, "exported_columns", ())
    return list(columns)
