"""Agency registries: who can send to whom, as data generated from the real admin units.

`load_registry("ninh-binh", "2019")` reads a fixture from fixtures/registries/ (`NATIONAL`:
every province of the structure in one registry);
`exchange.registry.build.build_all(data_dir, out_dir)` regenerates them (not imported here, so
`python -m exchange.registry.build` runs cleanly).
"""

from __future__ import annotations

from exchange.registry.load import (
    NATIONAL,
    InvalidRegistry,
    Registry,
    UnknownRegistry,
    available,
    load_registry,
)

__all__ = [
    "NATIONAL",
    "InvalidRegistry",
    "Registry",
    "UnknownRegistry",
    "available",
    "load_registry",
]
