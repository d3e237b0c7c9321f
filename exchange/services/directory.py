"""An in-memory snapshot of systems and agencies, reloaded when it misses."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from exchange.db.store import Store
from exchange.domain.agencies import Agency

__all__ = ["Directory", "DirectoryCache", "load_directory"]


@dataclass(frozen=True, slots=True)
class Directory:
    agencies: Mapping[str, Agency]
    secrets: Mapping[str, str]

    def agency(self, code: str) -> Agency | None:
        return self.agencies.get(code)

    def hosts(self, system_id: str, code: str) -> bool:
        agency = self.agencies.get(code)
        return agency is not None and agency.system_id == system_id


def load_directory(store: Store) -> Directory:
    agencies = {a.code: a for a in store.directory.agencies()}
    return Directory(agencies, store.directory.secrets())


class DirectoryCache:
    """Holds the current `Directory`; a miss reloads it at most once per `min_interval`."""

    def __init__(self, loader: Callable[[], Directory], min_interval: float = 1.0) -> None:
        self._loader = loader
        self._min_interval = min_interval
        self._loaded_at = time.monotonic()
        self.current = loader()

    def reload(self) -> None:
        """After this process changed the directory itself."""
        self.current = self._loader()
        self._loaded_at = time.monotonic()

    def refresh_on_miss(self) -> bool:
        """Reload if allowed now; True when a fresh directory was loaded."""
        if time.monotonic() - self._loaded_at < self._min_interval:
            return False
        self.current = self._loader()
        self._loaded_at = time.monotonic()
        return True
