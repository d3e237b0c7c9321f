"""`eoffice capacity`: the highest documents/s one hub sustains for a profile, and how many of
that profile's provinces, at their busiest hour, it carries.

Each step replays a working week of the profile at full scale, compressed (`--compress-from`,
then x `--step` while steps hold, then bisected `--refine` times after the first break), on a
fresh hub, for `--warmup` + `--step-seconds` wall seconds; the figures leave the warm-up out.
A step breaks when a call's p99 from the intended time is over `--max-p99-ms`, failed requests
over `--max-error-rate`, or the hub takes fewer than `--min-keep-up` of the documents planned.
Writes capacity.json and each step's loadtest report to `--report DIR`. Exit 0 with an
answer, 1 when even the first step broke (or failed), 2 for bad arguments, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from exchange.cli_args import Parser
from loadtests.capacity.history import preload_hubs
from loadtests.capacity.ladder import Ladder, Limits, Plan, Step, best
from loadtests.capacity.peak import PeakHour, ProfileDays
from loadtests.capacity.steps import INTERRUPTED, Hubs, run_step
from loadtests.capacity.text import (
    HEADER,
    Setup,
    answer,
    answer_json,
    context,
    facts,
    place,
    row,
    step_json,
)
from loadtests.hub_process import display_url
from loadtests.link import add_link_arguments, link_from
from loadtests.machine import Cores
from loadtests.profiles import ProfileError, load_profile, load_registries
from loadtests.profiles.model import Profile
from loadtests.replay.history import history_line
from loadtests.replay.hub import check_host

__all__ = ["FIRST_RATE", "even_ratio", "main"]

FIRST_RATE = 5.0  # documents/s the first step plans on average, unless --compress-from
MAX_RATIO = 1000.0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="eoffice capacity", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--profile", default="ninh-binh", help="fixtures/profiles name or path")
    add("--seed", default="1", help="the schedule's seed")
    add("--compress-from", type=float, help=f"first compression (where ~{FIRST_RATE:g} docs/s)")
    add("--step", type=float, default=2.0, help="compression factor per step")
    add("--refine", type=int, default=2, help="bisections after the first break")
    add("--max-steps", type=int, default=8, help="at most this many steps")
    add("--step-seconds", type=float, default=30.0, help="wall seconds measured per step")
    add("--warmup", type=float, default=10.0, help="wall seconds left out before them")
    add("--ratio", type=float, help="off-hours squeeze / office (nights at office pace)")
    add("--max-p99-ms", type=float, default=1000.0, help="any call's p99 from intended")
    add("--max-error-rate", type=float, default=0.01, help="failed / requests")
    add("--min-keep-up", type=float, default=0.95, help="accepted / planned documents")
    add("--processes", type=int, default=1, help="Locust processes")
    add("--workers", type=int, default=1, help="uvicorn workers of the hub")
    add("--no-pin", action="store_true", help="do not pin the hub to a core")
    add("--host", help="a running hub (default: a fresh one per step)")
    add("--credentials", type=Path, help="with --host: `eoffice seed`'s JSON")
    add("--database-url", help="one database for every step's hub (default: SQLite copies)")
    add("--report", type=Path, help="folder (default: reports/capacity-<profile>-<time>)")
    history = "replay the last year's first weeks on a hub holding the history before them"
    add("--preload-history", action="store_true", help=history)
    add_link_arguments(parser.add_argument_group("how the connectors reach the hub"))
    return parser


def _problem(args: argparse.Namespace) -> str | None:
    checks = [
        (args.step <= 1, "--step must be above 1"),
        (args.compress_from is not None and args.compress_from <= 0, "--compress-from > 0"),
        (args.refine < 0 or args.max_steps < 1, "--refine >= 0 and --max-steps >= 1"),
        (args.step_seconds < 1 or args.warmup < 0, "--step-seconds >= 1 and --warmup >= 0"),
        (args.ratio is not None and args.ratio <= 0, "--ratio must be above 0"),
        (args.processes < 1 or args.workers < 1, "--processes and --workers >= 1"),
        (bool(args.host) != bool(args.credentials), "--host and --credentials go together"),
        (bool(args.host and args.database_url), "--host or --database-url, not both"),
        (bool(args.host and args.preload_history), "--preload-history loads a hub started here"),
    ]
    return next((reason for broken, reason in checks if broken), None)


def even_ratio(profile: Profile) -> float:
    """The off-hours squeeze that replays off hours at the office base rate's pace: no burst
    of documents when a night is played fast, no lull when it is played slowly."""
    shape = profile.intraday
    if shape.off_hours <= 0:
        return MAX_RATIO
    return min(MAX_RATIO, max(1.0, shape.base / shape.off_hours))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if problem := _problem(args):
        parser.error(problem)
    try:
        profile = load_profile(args.profile)
        days = ProfileDays(profile, load_registries(profile), str(args.seed))
    except (ProfileError, ValueError) as error:
        _say(str(error))
        return 2
    if args.host and (problem := check_host(args.host)):
        _say(problem)
        return 2
    return _search(args, days)


def _search(args: argparse.Namespace, days: ProfileDays) -> int:
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    root = args.report or Path("reports") / f"capacity-{Path(args.profile).stem}-{stamp}"
    root.mkdir(parents=True, exist_ok=True)
    _say("finding the busiest hour")
    peak = days.peak()
    plan, ladder = _plan(args, days, root.resolve())
    hubs = Hubs(args.host, args.credentials, args.database_url, _cores(args), args.workers)
    setup = _setup(days, peak, plan, ladder, hubs)
    print("\n".join(context(setup)), flush=True)
    steps, interrupted = _climb(days, hubs, plan, ladder)
    lines = answer(steps, peak, place(days.profile))
    print("\n".join(lines))
    document = {
        **facts(setup),
        "steps": [step_json(s) for s in steps],
        "answer": answer_json(steps, peak),
        "interrupted": interrupted,
        "text": [*context(setup), *lines],
    }
    (root / "capacity.json").write_text(json.dumps(document, indent=1, ensure_ascii=False))
    print(f"capacity.json and each step's report (step-NN/) in {root}")
    if interrupted:
        return 130
    return 0 if best(steps) else 1


def _cores(args: argparse.Namespace) -> Cores:
    return Cores.choose(not args.no_pin and args.processes == 1, args.workers)


def _plan(args: argparse.Namespace, days: ProfileDays, root: Path) -> tuple[Plan, Ladder]:
    ratio = args.ratio or even_ratio(days.profile)
    week = days.last_restart_week() if args.preload_history else 0
    first, _ = days.replay_window(week)
    start = args.compress_from or round(FIRST_RATE / days.office_rate(first), 1)
    limits = Limits(args.max_p99_ms, args.max_error_rate, args.min_keep_up)
    plan = Plan(
        args.profile, str(args.seed), root, ratio, args.warmup, args.step_seconds,
        args.processes, limits, link_from(args), week, args.preload_history,
    )  # fmt: skip
    return plan, Ladder(start, args.step, args.refine, args.max_steps)


def _setup(days: ProfileDays, peak: PeakHour, plan: Plan, ladder: Ladder, hubs: Hubs) -> Setup:
    first, last = days.replay_window(plan.first_week)
    hub = hubs.host or (display_url(hubs.url) if hubs.url else None)
    return Setup(
        profile=days.profile,
        plan=plan,
        peak=peak,
        ladder=ladder,
        window=(first, last),
        hub=hub or "a fresh SQLite hub per step (a copy of one seeded database)",
        later_weeks=hubs.shared,
    )


def _prepare(days: ProfileDays, hubs: Hubs, plan: Plan) -> bool:
    if hubs.host is None:
        _say("seeding the profile's registries, once for every step")
    try:
        hubs.prepare(days, plan.root / "template")
        if plan.preload_history:
            history = preload_hubs(days, hubs, plan)
            (plan.root / "history.json").write_text(json.dumps(history, indent=1))
            _say(history_line(history))
    except RuntimeError as error:  # `eoffice seed` or `eoffice db import-history` failed
        _say(str(error))
        return False
    return True


def _climb(days: ProfileDays, hubs: Hubs, plan: Plan, ladder: Ladder) -> tuple[list[Step], bool]:
    """The steps, until the ladder ends; (steps, interrupted by Ctrl-C)."""
    steps: list[Step] = []
    try:
        if not _prepare(days, hubs, plan):
            return steps, False
        print(HEADER, flush=True)
        while (compression := ladder.next(steps)) is not None:
            number = len(steps) + 1
            _say(f"step {number}: compression {compression:,.1f}, {plan.warmup + plan.seconds:g} s")
            step = run_step(number, compression, days, hubs, plan)
            if step.broken == (INTERRUPTED,):
                return steps, True
            steps.append(step)
            print(row(step), flush=True)
    except KeyboardInterrupt:
        return steps, True
    return steps, False


def _say(text: str) -> None:
    print(f"eoffice capacity: {text}", file=sys.stderr, flush=True)
