"""Certificates for a seeded registry: an organisation certificate and a leader's (person)
certificate for every agency that lacks one, then the CA bundle and CRL published."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from exchange.domain.agencies import Agency
from exchange.registry.leaders import leader_of
from signing import CertificateKind, CertificateRequest, KeyAlgorithm, Pki

__all__ = ["issue_for_agencies", "open_or_init", "requests_for"]


def open_or_init(directory: Path, now: datetime, algorithm: KeyAlgorithm) -> Pki:
    if (directory / "index.json").exists():
        return Pki(directory)
    return Pki.init(directory, now, algorithm=algorithm)


def issue_for_agencies(pki: Pki, agencies: Sequence[Agency], now: datetime) -> int:
    """How many certificates were issued (none for agencies that already have theirs)."""
    requests = requests_for(pki, agencies, now)
    if requests:
        pki.issue_many(requests, now)
    pki.publish(now)
    return len(requests)


def requests_for(pki: Pki, agencies: Sequence[Agency], now: datetime) -> list[CertificateRequest]:
    """An organisation and a leader's certificate for each agency that holds no usable one
    (valid at `now`, not revoked): what seeding issues at once, or the workbench as first
    needed."""
    held = {
        (e.agency_code, e.kind)
        for e in pki.entries()
        if e.revoked_at is None and e.not_before <= now <= e.not_after
    }
    requests: list[CertificateRequest] = []
    for agency in agencies:
        if (agency.code, CertificateKind.ORGANISATION) not in held:
            requests.append(CertificateRequest(agency.code, agency.name))
        if (agency.code, CertificateKind.PERSON) not in held:
            leader = leader_of(agency)
            requests.append(
                CertificateRequest(agency.code, agency.name, leader.full_name, leader.position)
            )
    return requests
