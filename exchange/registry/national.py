"""The national directory: every province of one structure in one registry, for the national
hub (`eoffice seed national`). Its agencies and systems are exactly the provinces' own
registries', so a province's slice of it equals that province's registry."""

from __future__ import annotations

from collections.abc import Sequence

from exchange.registry.assemble import RegistryDoc, checked
from exchange.registry.load import NATIONAL

__all__ = ["national"]


def national(parts: Sequence[RegistryDoc]) -> RegistryDoc:
    """One registry of the provinces' registries (all of one structure), in the order given."""
    structures = {part.structure for part in parts}
    if len(structures) != 1:
        raise ValueError(f"a national registry takes one structure, got {sorted(structures)}")
    structure = structures.pop()
    doc = RegistryDoc(
        slug=NATIONAL,
        structure=structure,
        name=f"Cả nước ({len(parts)} tỉnh, thành phố trực thuộc trung ương)",
        province_number=None,
        sources=parts[0].sources,
        systems=tuple(system for part in parts for system in part.systems),
        entries=tuple(entry for part in parts for entry in part.entries),
        parts=tuple(parts),
    )
    return checked(doc)
