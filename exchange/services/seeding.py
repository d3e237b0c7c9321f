"""Load agency registries into the hub; systems keep their secret across re-seeding."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from exchange.db.repos.directory import SystemCredentials
from exchange.db.store import Store
from exchange.registry import Registry

__all__ = ["seed"]


def seed(store: Store, registries: Sequence[Registry]) -> list[SystemCredentials]:
    known = store.directory.secrets()
    credentials = [
        SystemCredentials(system, known.get(system.id) or secrets.token_urlsafe(32))
        for registry in registries
        for system in registry.systems
    ]
    store.directory.save_systems(credentials)
    store.directory.save_agencies([a for r in registries for a in r.agencies])
    for registry in registries:
        store.record(
            "registry_seeded",
            None,
            f"{registry.slug}-{registry.structure}",
            agencies=len(registry.agencies),
            systems=len(registry.systems),
        )
    return credentials
