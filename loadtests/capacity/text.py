"""`eoffice capacity`'s table, its answer in words, and capacity.json. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from loadtests.capacity.ladder import Ladder, Plan, Step, best, provinces
from loadtests.capacity.peak import PeakHour
from loadtests.profiles.model import Profile

__all__ = [
    "HEADER",
    "Setup",
    "answer",
    "answer_json",
    "context",
    "facts",
    "place",
    "row",
    "step_json",
]

HEADER = (
    f"{'step':>4} {'compress':>9} {'planned/s':>10} {'achieved/s':>11} {'req/s':>7} "
    f"{'worst p99':>10}  {'(call)':<20} {'hub p99':>8} {'errors':>6}  verdict"
)


@dataclass(frozen=True, slots=True)
class Setup:
    """What a search is: the profile and its peak, the steps' replay, the ladder, the hub."""

    profile: Profile
    plan: Plan
    peak: PeakHour
    ladder: Ladder
    window: tuple[date, date]  # the first step's replay: first day, last day reachable
    hub: str
    later_weeks: bool  # each step replays a later week (the hub keeps the documents)


def context(setup: Setup) -> list[str]:
    """The lines printed before the table."""
    plan, peak, ladder, limits = setup.plan, setup.peak, setup.ladder, setup.plan.limits
    (first, last), profile = setup.window, setup.profile
    later = "; a later week each step: the hub keeps the documents" if setup.later_weeks else ""
    return [
        f"profile: {profile.name} ({profile.title}), seed {plan.seed}",
        f"busiest hour: {peak.label()}: {peak.documents:,} electronic documents "
        f"({peak.per_second:.3f}/s)",
        f"each step: replays from {first} (up to {last}{later}), off hours x{plan.ratio:g} "
        f"faster, {plan.warmup:g} s warm-up + {plan.seconds:g} s measured",
        f"hub: {setup.hub}",
        f"ladder: compression {ladder.start:g}, x{ladder.factor:g} until a break, then "
        f"{ladder.refine} bisection(s); at most {ladder.max_steps} steps",
        f"limits: p99 <= {limits.max_p99_ms:g} ms (every call, from the intended time), "
        f"errors <= {limits.max_error_rate:.2%}, accepted >= {limits.min_keep_up:.0%} of planned",
    ]


def facts(setup: Setup) -> dict[str, Any]:
    """capacity.json's head: what was searched, and how."""
    plan, peak, (first, last) = setup.plan, setup.peak, setup.window
    return {
        "profile": setup.profile.name,
        "title": setup.profile.title,
        "seed": plan.seed,
        "busiest_hour": {
            "start": peak.start.isoformat(),
            "documents": peak.documents,
            "documents_per_s": peak.per_second,
        },
        "replay": {
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "later_week_each_step": setup.later_weeks,
            "ratio": plan.ratio,
            "warmup_s": plan.warmup,
            "step_s": plan.seconds,
            "processes": plan.processes,
            "transport": plan.link.transport,
            "endpoint_prefix": plan.link.prefix,
        },
        "hub": setup.hub,
        "ladder": asdict(setup.ladder),
        "limits": asdict(plan.limits),
    }


def place(profile: Profile) -> str:
    """The profile's short name: its title up to the colon ("Ninh Bình")."""
    return profile.title.split(":", 1)[0].strip()


def _verdict(step: Step) -> str:
    if step.held:
        return "held"
    more = f" (+{len(step.broken) - 1} more)" if len(step.broken) > 1 else ""
    return f"BROKE: {step.broken[0]}{more}" if step.broken else "BROKE"


def row(step: Step) -> str:
    """One line of the table: the measured stretch's figures (the warm-up left out); "hub p99"
    is the worst call's p99 from the request's start, without the connectors' own queues."""
    head = f"{step.number:>4} {step.compression:>9,.1f}"
    figures = step.figures
    if figures is None:
        return f"{head}  failed: {'; '.join(step.broken)}"
    worst, hub = figures.worst, figures.worst_service
    p99, call = (f"{worst[1]:,.0f} ms", worst[0]) if worst else ("-", "")
    service = f"{hub[1]:,.0f} ms" if hub else "-"
    return (
        f"{head} {figures.planned_per_s:>10,.1f} {figures.achieved_per_s:>11,.1f} "
        f"{figures.requests_per_s:>7,.0f} {p99:>10}  {call:<20} {service:>8} "
        f"{figures.error_rate:>6.2%}  {_verdict(step)}"
    )


def _bounded(steps: Sequence[Step], top: Step) -> bool:
    """A step broke above the answer's compression: the answer is the limit, not a floor."""
    return any(
        s.figures is not None and not s.held and s.compression > top.compression for s in steps
    )


def answer(steps: Sequence[Step], peak: PeakHour, name: str) -> list[str]:
    """The highest sustainable rate and what it means, or why there is none."""
    top = best(steps)
    if top is None or top.figures is None:
        return _none(steps)
    figures, floor = top.figures, "" if _bounded(steps, top) else "at least "
    count = provinces(figures.achieved_per_s, peak)
    lines = [
        f"highest sustainable: {floor}{figures.achieved_per_s:,.1f} documents/s, "
        f"{figures.requests_per_s:,.0f} requests/s (step {top.number}, compression "
        f"{top.compression:,.1f})",
        f"= {floor}{math.floor(count):,} provinces like {name} at their busiest hour "
        f"({peak.documents:,} electronic documents/h, {peak.label()}; "
        f"{figures.achieved_per_s:,.1f} / {peak.per_second:.3f} = {count:,.1f})",
    ]
    if floor:
        lines.append(_why_unbounded(steps))
    return lines


def answer_json(steps: Sequence[Step], peak: PeakHour) -> dict[str, Any] | None:
    top = best(steps)
    if top is None or top.figures is None:
        return None
    return {
        "step": top.number,
        "compression": top.compression,
        "documents_per_s": top.figures.achieved_per_s,
        "requests_per_s": top.figures.requests_per_s,
        "provinces": provinces(top.figures.achieved_per_s, peak),
        "at_least": not _bounded(steps, top),
    }


def _why_unbounded(steps: Sequence[Step]) -> str:
    failed = [s for s in steps if s.figures is None]
    if failed:
        return (
            f"(the search stopped: step {failed[0].number} failed: {'; '.join(failed[0].broken)})"
        )
    return "(no step broke: raise --max-steps or --compress-from to find the limit)"


def _none(steps: Sequence[Step]) -> list[str]:
    if not steps:
        return ["no step ran"]
    first = steps[0]
    if first.figures is None:
        return [f"no answer: the first step failed: {'; '.join(first.broken)}"]
    return [
        f"no sustainable rate: even the first step (compression {first.compression:,.1f}, "
        f"{first.figures.planned_per_s:,.1f} documents/s planned) broke:",
        *(f"  {reason}" for reason in first.broken),
        "start lower (--compress-from) or relax the limits (--max-p99-ms, --max-error-rate)",
    ]


def step_json(step: Step) -> dict[str, Any]:
    figures = step.figures
    found: dict[str, Any] = {
        "step": step.number,
        "compression": step.compression,
        "folder": str(step.folder),
        "held": step.held,
        "broken": list(step.broken),
    }
    if figures is not None:
        found |= {
            **asdict(figures),
            "p99_ms": dict(figures.p99_ms),
            "service_p99_ms": dict(figures.service_p99_ms),
            "planned_per_s": figures.planned_per_s,
            "documents_per_s": figures.achieved_per_s,
            "requests_per_s": figures.requests_per_s,
            "error_rate": figures.error_rate,
            "keep_up": figures.keep_up,
            "worst_call": figures.worst[0] if figures.worst else None,
        }
    return found
