"""Who sends how much to whom: a profile's sources, registry, volume, flows, electronic shares."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from exchange.domain.agencies import Tier
from loadtests.profiles.model import (
    ElectronicEra,
    Flow,
    Recipients,
    RegistrySpec,
    Scope,
    Source,
    TierPair,
    Volume,
)
from loadtests.profiles.reader import Provenance, Reader

__all__ = [
    "read_electronic",
    "read_flows",
    "read_registry",
    "read_sources",
    "read_volume",
    "sums_to_one",
]

TOLERANCE = 1e-6


def sums_to_one(reader: Reader, key: str, shares: Sequence[float]) -> None:
    total = sum(shares)
    if abs(total - 1.0) > TOLERANCE:
        reader.fail(key, f"shares sum to {total:.6g}, not 1")


def read_sources(file: str, data: Any) -> dict[str, Source]:
    """`[sources.<key>]` tables: file, quote, figure."""
    root = Reader(file, {"sources": data}, "", Provenance(frozenset()))
    sources = root.table("sources")
    found = {}
    for key in sources.names():
        entry = sources.table(key)
        found[key] = Source(key, entry.text("file"), entry.text("quote"), entry.text("figure"))
        entry.finish()
    return found


def read_registry(root: Reader) -> RegistrySpec:
    section = root.table("registry")
    structure = section.text("structure")
    slugs = section.raw("slugs")
    if not isinstance(slugs, list) or not slugs or not all(isinstance(s, str) for s in slugs):
        section.fail("slugs", "expected a non-empty array of registry slugs")
    if len(set(slugs)) != len(slugs):
        section.fail("slugs", "a registry is listed twice")
    tiers = _tiers(section) if section.has("tiers") else frozenset(Tier)
    section.finish()
    return RegistrySpec(structure, tuple(slugs), tiers)


def _tiers(section: Reader) -> frozenset[Tier]:
    """Optional `tiers`: only these tiers' agencies (and the systems hosting them) take part."""
    names = section.raw("tiers")
    if not isinstance(names, list) or not names:
        section.fail("tiers", "expected a non-empty array of tiers")
    known = ", ".join(t.value for t in Tier)
    for name in names:
        if name not in {t.value for t in Tier}:
            section.fail("tiers", f"unknown tier {name!r} (known: {known})")
    return frozenset(Tier(name) for name in names)


def read_volume(root: Reader) -> Volume:
    section = root.table("volume")
    documents = section.integer("documents", low=1)
    target = None
    if section.has("recipients_per_document"):
        target = section.number("recipients_per_document", low=1)
    section.finish()
    return Volume(documents, target)


def read_flows(root: Reader) -> tuple[Flow, ...]:
    flows = tuple(_flow(reader) for reader in root.tables("flows"))
    sums_to_one(root, "flows", [flow.share for flow in flows])
    return flows


def _flow(reader: Reader) -> Flow:
    pair = reader.choice("pair", TierPair.parse)
    share = reader.number("share", low=0, high=1)
    recipients = _recipients(reader)
    scope = reader.choice("scope", Scope)
    reader.finish()
    return Flow(pair, share, recipients, scope)


def _recipients(reader: Reader) -> Recipients:
    if reader.raw("recipients") == "all":
        return Recipients(broadcast=True)
    if not isinstance(reader.raw("recipients"), dict):
        reader.fail("recipients", 'expected "all" or { mean = ..., max = ... }')
    count = reader.table("recipients")
    mean = count.number("mean", low=1)
    limit = count.integer("max", low=1)
    if limit < mean:
        count.fail("max", f"smaller than the mean {mean:g}")
    count.finish()
    return Recipients(broadcast=False, mean=mean, limit=limit)


def read_electronic(root: Reader, flows: Sequence[Flow], start: date) -> tuple[ElectronicEra, ...]:
    """The eras in date order, each covering every pair a flow uses."""
    needed = list(dict.fromkeys(flow.pair for flow in flows))
    eras = tuple(_era(reader, needed) for reader in root.tables("electronic"))
    if eras[0].start > start:
        root.fail("electronic[0].from", f"the first era starts after the profile ({start})")
    for index in range(1, len(eras)):
        if eras[index].start <= eras[index - 1].start:
            root.fail(f"electronic[{index}].from", "eras must be in increasing date order")
    return eras


def _era(reader: Reader, needed: Sequence[TierPair]) -> ElectronicEra:
    start = reader.day("from")
    shares: dict[TierPair, float] = {}
    fields: dict[TierPair, str] = {}
    if reader.has("pairs"):
        pairs = reader.table("pairs")
        for key in pairs.names():
            try:
                pair = TierPair.parse(key)
            except ValueError as error:
                pairs.fail(key, str(error))
            shares[pair] = pairs.number(key, low=0, high=1)
            fields[pair] = pairs.where(key)
    if reader.has("default"):
        default = reader.number("default", low=0, high=1)
        for pair in needed:
            if pair not in shares:
                shares[pair], fields[pair] = default, reader.where("default")
    missing = [str(pair) for pair in needed if pair not in shares]
    if missing:
        reader.fail("pairs", f"no electronic share for {', '.join(missing)} (and no default)")
    reader.finish()
    return ElectronicEra(start, shares, fields)
