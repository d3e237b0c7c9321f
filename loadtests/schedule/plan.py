"""A profile bound to its registries: each flow's senders and their possible recipients.

Binding is where a profile meets the agencies: a flow no agency can carry (a district flow on a
two-tier registry), or flows that miss the profile's recipients-per-document target, are
refused with the profile's file and the field.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from exchange.registry import Registry
from loadtests.profiles.model import Flow, Profile
from loadtests.profiles.reader import ProfileError
from loadtests.schedule.directory import Directory

__all__ = ["TARGET_TOLERANCE", "BoundFlow", "Plan", "bind", "capped_mean"]

TARGET_TOLERANCE = 0.05  # relative; for volume.recipients_per_document


def capped_mean(mean: float, cap: int) -> float:
    """E[min(K, cap)] for K = 1 + geometric with E[K] = `mean`."""
    if mean <= 1.0 or cap <= 1:
        return 1.0 if cap >= 1 else 0.0
    keep = 1.0 - 1.0 / mean  # P(K > k | K > k - 1)
    return float((1.0 - keep**cap) * mean)


@dataclass(frozen=True, slots=True)
class BoundFlow:
    flow: Flow
    pair: str  # "province>commune"
    senders: tuple[str, ...]  # agencies with at least one recipient in scope
    populations: Mapping[str, tuple[str, ...]]  # sender -> its possible recipients
    expected_recipients: float

    def recipients(self, rng: random.Random, sender: str) -> tuple[str, ...]:
        """Everyone in scope for a broadcast; otherwise 1 + geometric, capped, distinct."""
        population = self.populations[sender]
        flow = self.flow.recipients
        if flow.broadcast:
            return population
        count = 1
        if flow.mean > 1.0:
            keep = 1.0 - 1.0 / flow.mean
            while count < flow.limit and rng.random() < keep:
                count += 1
        if count == 1:
            return (population[int(rng.random() * len(population))],)
        return tuple(rng.sample(population, min(count, len(population))))


@dataclass(frozen=True, slots=True)
class Plan:
    profile: Profile
    directory: Directory
    flows: tuple[BoundFlow, ...]

    @property
    def recipients_per_document(self) -> float:
        return sum(b.flow.share * b.expected_recipients for b in self.flows)


def bind(profile: Profile, registries: Sequence[Registry]) -> Plan:
    _check_registries(profile, registries)
    directory = Directory(registries)
    flows = tuple(_bind_flow(profile, directory, i, f) for i, f in enumerate(profile.flows))
    plan = Plan(profile, directory, flows)
    target = profile.volume.recipients_per_document
    got = plan.recipients_per_document
    if target is not None and abs(got - target) > TARGET_TOLERANCE * target:
        raise ProfileError(
            profile.file,
            "volume.recipients_per_document",
            f"the flows give {got:.3f} recipients per document on these registries, not {target}",
        )
    return plan


def _check_registries(profile: Profile, registries: Sequence[Registry]) -> None:
    wanted = profile.registry
    given = sorted(r.slug for r in registries)
    structures = {r.structure for r in registries} - {"all"}
    if given != sorted(wanted.slugs) or not structures <= {wanted.structure}:
        raise ProfileError(
            profile.file,
            "registry",
            f"runs on {list(wanted.slugs)} ({wanted.structure}), given {given} ({structures})",
        )


def _bind_flow(profile: Profile, directory: Directory, index: int, flow: Flow) -> BoundFlow:
    populations = {}
    for member in directory.of_tier(flow.pair.sender):
        population = directory.population(member, flow.pair.recipient, flow.scope)
        if population:
            populations[member.code] = population
    if not populations:
        raise ProfileError(
            profile.file,
            f"flows[{index}]",
            f"no {flow.pair.sender} agency of {list(profile.registry.slugs)} has a "
            f"{flow.pair.recipient} recipient in scope {flow.scope}",
        )
    expected = [
        len(p)
        if flow.recipients.broadcast
        else capped_mean(flow.recipients.mean, min(flow.recipients.limit, len(p)))
        for p in populations.values()
    ]
    return BoundFlow(
        flow=flow,
        pair=str(flow.pair),
        senders=tuple(populations),
        populations=populations,
        expected_recipients=sum(expected) / len(expected),
    )
