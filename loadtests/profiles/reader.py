"""Reading a profile's TOML with the dotted path of every field, so a refusal says where.

A value is either bare (an inference, [I]) or a table `{ value = ..., source = "<key>",
note = "..." }` naming the entry of `[sources]` it comes from. The reader unwraps both and keeps
a record: field path -> source key for the sourced, the paths of the bare numbers for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn, TypeVar

__all__ = ["ProfileError", "Provenance", "Reader"]

T = TypeVar("T")
_DURATION = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>s|m|h|d)$")
_SIZE = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>B|KB|MB|GB)$")
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
_SOURCED_KEYS = frozenset({"value", "source", "note"})
_MISSING: Any = object()


class ProfileError(ValueError):
    """A profile refused: the file, the field (a dotted path) and the reason."""

    def __init__(self, file: str, field: str, reason: str) -> None:
        super().__init__(f"{file}: {field}: {reason}")
        self.file = file
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class Provenance:
    """Which source each value came from, and which numbers are inferences."""

    sources: frozenset[str]
    sourced: dict[str, str] = field(default_factory=dict)  # field path -> source key
    inferred: list[str] = field(default_factory=list)  # paths of bare numbers


class Reader:
    """One TOML table at a dotted path; every accessor marks its key as read."""

    def __init__(self, file: str, data: Any, path: str, provenance: Provenance) -> None:
        if not isinstance(data, Mapping):
            raise ProfileError(file, path or "(file)", "expected a table")
        self.file, self.path, self.provenance = file, path, provenance
        self._data: Mapping[str, Any] = data
        self._read: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | None, reason: str) -> NoReturn:
        raise ProfileError(self.file, self.where(key) if key else self.path or "(file)", reason)

    def has(self, key: str) -> bool:
        return key in self._data

    def names(self) -> list[str]:
        """Every key of the table (for maps such as `pairs`), all marked as read."""
        self._read.update(self._data)
        return list(self._data)

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self._read.add(key)
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            self.fail(key, "missing")
        return default

    def table(self, key: str) -> Reader:
        return Reader(self.file, self.raw(key), self.where(key), self.provenance)

    def tables(self, key: str) -> list[Reader]:
        items = self.raw(key)
        if not isinstance(items, list) or not items:
            self.fail(key, "expected a non-empty array of tables")
        path = self.where(key)
        return [Reader(self.file, t, f"{path}[{i}]", self.provenance) for i, t in enumerate(items)]

    def text(self, key: str, default: Any = _MISSING, *, empty: bool = False) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not (empty or value.strip()):
            self.fail(key, f"expected a non-empty string, got {value!r}")
        return value

    def choice(self, key: str, convert: Callable[[str], T], default: Any = _MISSING) -> T:
        """A string turned into an enum member (or any value) by `convert`."""
        value = self.raw(key, default)
        try:
            return convert(value)
        except (ValueError, TypeError, KeyError) as error:
            self.fail(key, str(error) or f"invalid value {value!r}")

    def number(
        self,
        key: str,
        *,
        low: float | None = None,
        high: float | None = None,
        default: Any = _MISSING,
    ) -> float:
        value = self.figure(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(key, f"must be {_bounds(low, high)}, got {value}")
        return float(value)

    def integer(self, key: str, *, low: int = 0, default: Any = _MISSING) -> int:
        value = self.number(key, low=low, default=default)
        if value != int(value):
            self.fail(key, f"expected a whole number, got {value}")
        return int(value)

    def day(self, key: str) -> date:
        value = self.figure(key)
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(key, f"expected a date (2016-09-01), got {value!r}")
        return value

    def duration(self, key: str, *, day: float = 86400.0) -> float:
        """Seconds, from "90s", "5m", "2h" or "3d" (a day of `day` seconds)."""
        value = self.figure(key)
        found = _DURATION.match(value) if isinstance(value, str) else None
        if not found:
            self.fail(key, f"expected a duration such as 90s, 5m, 2h or 3d, got {value!r}")
        unit = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": day}[found["unit"]]
        return float(found["amount"]) * unit

    def size(self, key: str) -> int:
        """Bytes, from "350KB", "5MB" (1 KB = 1024 B) or a whole number of bytes."""
        value = self.figure(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        found = _SIZE.match(value) if isinstance(value, str) else None
        if not found:
            self.fail(key, f"expected a size such as 350KB or 5MB, got {value!r}")
        return int(float(found["amount"]) * _SIZE_UNITS[found["unit"]])

    def figure(self, key: str, default: Any = _MISSING) -> Any:
        """The value, unwrapped from `{ value, source, note }` if sourced; provenance noted."""
        value = self.raw(key, default)
        if not isinstance(value, Mapping):
            if key in self._data and not isinstance(value, str | bool):
                self.provenance.inferred.append(self.where(key))
            return value
        extra = sorted(set(value) - _SOURCED_KEYS)
        if extra or "value" not in value:
            self.fail(
                key, f"a sourced value is {{ value, source, note }}, got keys {sorted(value)}"
            )
        source = value.get("source")
        if source is None:
            self.provenance.inferred.append(self.where(key))
        elif source not in self.provenance.sources:
            self.fail(f"{key}.source", f"unknown source {source!r} (not in [sources])")
        else:
            self.provenance.sourced[self.where(key)] = source
        return value["value"]

    def finish(self) -> None:
        """Refuse keys nobody read (a misspelt field would otherwise be silently ignored)."""
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            self.fail(unknown[0], "unknown field")


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"
