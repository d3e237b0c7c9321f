"""`python -m loadtests.schedule ninh-binh --seed 1`: run a schedule through, print what it
held, how fast it was generated and the process's peak memory."""

from __future__ import annotations

import argparse
import itertools
import resource
import time
from datetime import date

from loadtests.profiles import load_profile, load_registries
from loadtests.schedule.clock import Compression
from loadtests.schedule.stream import fit_compression, schedule
from loadtests.schedule.summary import Tally

__all__ = ["main"]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtests.schedule", description=__doc__)
    parser.add_argument("profile", help="a name in fixtures/profiles, or a .toml path")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--documents", type=int, help="scaled-down replay of N documents")
    parser.add_argument("--start", type=date.fromisoformat)
    parser.add_argument("--end", type=date.fromisoformat)
    parser.add_argument("--wall", type=float, help="fit the window into this many seconds")
    parser.add_argument("--ratio", type=float, default=10.0, help="off-hours squeeze / office")
    parser.add_argument("--limit", type=int, help="stop after this many events")
    parser.add_argument("--show", type=int, default=0, help="print the first N events")
    parser.add_argument("--no-polls", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    profile = load_profile(args.profile)
    compression = Compression()
    if args.wall:
        compression = fit_compression(
            profile, args.wall, ratio=args.ratio, start=args.start, end=args.end
        )
    events = schedule(
        profile,
        load_registries(profile),
        seed=args.seed,
        compression=compression,
        start=args.start,
        end=args.end,
        documents=args.documents,
        polls=not args.no_polls,
    )
    tally = Tally(profile)
    began = time.perf_counter()
    for index, event in enumerate(itertools.islice(events, args.limit)):
        tally.add(event)
        if index < args.show:
            print(event)
    elapsed = time.perf_counter() - began
    total = sum(tally.kinds.values())
    print(f"{profile.title} (seed {args.seed}, {compression})")
    print("\n".join(tally.lines()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generated in {elapsed:.1f} s: {total / elapsed:,.0f} events/s; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
