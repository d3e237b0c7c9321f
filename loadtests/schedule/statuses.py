"""The status packages that trail an electronic document, per recipient, and recalls.

Each recipient answers 01 (its system, any hour), then 02 or 03, then 04 / 05 / 06 (clerks,
office hours), following the hub's state machine, never backwards. A recalled document gets
13 from its sender; a recipient answers 16 if it finished (06) by then, else 15, and says
nothing more; one that rejected it (02) does not answer.
"""

from __future__ import annotations

import math
import random

from loadtests.profiles.model import Clock, Delay, Profile, Step
from loadtests.schedule.clock import OfficeClock
from loadtests.schedule.draw import delay
from loadtests.schedule.events import Document

__all__ = ["Entry", "Responses"]

Entry = tuple[float, str, str]  # (seconds from the epoch, acting agency, status code)
Chain = list[tuple[float, str]]


class Responses:
    def __init__(self, profile: Profile, clock: OfficeClock) -> None:
        self.statuses, self.recall, self.clock = profile.statuses, profile.recall, clock

    def later(self, rng: random.Random, t: float, spec: Delay) -> float:
        """`t` plus a drawn delay, on the delay's clock (inf once past the last day)."""
        if t == math.inf:
            return t
        seconds = delay(rng, spec)
        return t + seconds if spec.clock is Clock.ANY else self.clock.after(t, seconds)

    def for_document(self, rng: random.Random, t: float, document: Document) -> list[Entry]:
        """Every status about a document sent at `t`, in no particular order."""
        chains = {r: self._chain(rng, t) for r in document.recipients}
        entries: list[Entry] = []
        if rng.random() < self.recall.share:
            requested = self.later(rng, t, self.recall.request)
            entries.append((requested, document.sender, "13"))
            for chain in chains.values():
                self._answer_recall(rng, requested, chain)
        for recipient, chain in chains.items():
            entries.extend((at, recipient, code) for at, code in chain)
        return entries

    def _chain(self, rng: random.Random, t: float) -> Chain:
        statuses = self.statuses
        t = self.later(rng, t, statuses.arrived)
        chain = [(t, "01")]
        if rng.random() < statuses.rejected.share:
            return [*chain, (self.later(rng, t, statuses.rejected.delay), "02")]
        if rng.random() >= statuses.registered.share:
            return chain
        t = self.later(rng, t, statuses.registered.delay)
        chain.append((t, "03"))
        steps: tuple[tuple[Step, str], ...] = (
            (statuses.assigned, "04"),
            (statuses.processing, "05"),
            (statuses.finished, "06"),
        )
        for step, code in steps:
            if rng.random() < step.share:
                t = self.later(rng, t, step.delay)
                chain.append((t, code))
        return chain

    def _answer_recall(self, rng: random.Random, requested: float, chain: Chain) -> None:
        answered = self.later(rng, max(requested, chain[0][0]), self.recall.answer)
        said = {code for at, code in chain if at <= answered}
        if "02" in said:
            return
        if "06" in said:
            chain.append((answered, "16"))
            return
        chain[:] = [(at, code) for at, code in chain if at <= answered]
        chain.append((answered, "15"))
