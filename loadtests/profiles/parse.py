"""A profile file's TOML -> a validated `Profile`, or `ProfileError(file, field, reason)`."""

from __future__ import annotations

import tomllib
from typing import Any

from loadtests.profiles.content import read_attachments, read_document_types, read_priorities
from loadtests.profiles.model import Profile
from loadtests.profiles.reader import ProfileError, Provenance, Reader
from loadtests.profiles.timing import (
    read_bursts,
    read_calendar,
    read_intraday,
    read_polling,
    read_recall,
    read_statuses,
)
from loadtests.profiles.traffic import (
    read_electronic,
    read_flows,
    read_registry,
    read_sources,
    read_volume,
)

__all__ = ["FORMAT", "parse_profile", "parse_profile_text"]

FORMAT = "eoffice-sim.profile/1"


def parse_profile_text(text: str, file: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(file, "(file)", f"not TOML: {error}") from None
    return parse_profile(data, file)


def parse_profile(data: dict[str, Any], file: str) -> Profile:
    """Build and check a profile from decoded TOML; `file` names it in errors."""
    if "sources" not in data:
        raise ProfileError(file, "sources", "missing")
    sources = read_sources(file, data["sources"])
    provenance = Provenance(frozenset(sources))
    root = Reader(file, data, "", provenance)
    root.raw("sources")
    if root.text("format") != FORMAT:
        root.fail("format", f"expected {FORMAT!r}, got {data['format']!r}")
    start, end = root.day("start"), root.day("end")
    if end < start:
        root.fail("end", f"{end} is before the start {start}")
    flows = read_flows(root)
    calendar = read_calendar(root)
    profile = Profile(
        name=root.text("name"),
        title=root.text("title"),
        file=file,
        start=start,
        end=end,
        volume=read_volume(root),
        registry=read_registry(root),
        flows=flows,
        electronic=read_electronic(root, flows, start),
        calendar=calendar,
        intraday=read_intraday(root),
        bursts=read_bursts(root),
        document_types=read_document_types(root),
        priorities=read_priorities(root),
        attachments=read_attachments(root),
        statuses=read_statuses(root, calendar.office_day),
        recall=read_recall(root, calendar.office_day),
        polling_interval=read_polling(root),
        sources=sources,
        sourced=dict(provenance.sourced),
        inferred=tuple(provenance.inferred),
    )
    root.finish()
    return profile
