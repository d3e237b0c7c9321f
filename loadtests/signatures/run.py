"""`eoffice bench --signatures`: what the hub's signature verification costs the exchange mix.

Seeds the province once (the seed issues every agency an organisation and a leader certificate,
RSA-2048), then signs a pool of documents before any hub or Locust runs (on every core: the
measured runs pay nothing for signing). Then it runs the mix, as fast as the hub answers,
against a hub started with EXCHANGE_SIGNATURE_POLICY=off, then one with =enforce, alternating
`--repeat` times. Every run gets a fresh copy of the seeded database and sends the same signed
documents, so the policy is the only difference between them.
"""

from __future__ import annotations

import os
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from loadtests.bench.documents import VIETNAM
from loadtests.bench.phases import LOCUSTFILES, Phase, run_phase
from loadtests.databases import database_copy
from loadtests.hub_process import HubServer, backend_name, display_url, free_port, seed
from loadtests.link import Link
from loadtests.locust_stats import read_failures
from loadtests.machine import Cores, describe_machine
from loadtests.roster import Roster, load_roster
from loadtests.signatures.presign import plan, sign_pool
from loadtests.signatures.report import (
    POLICIES,
    PolicyRun,
    SignatureReport,
    policy_run,
    signature_report,
)

__all__ = ["POOL_RATE", "SignatureOptions", "run_signatures"]

POOL_RATE = 4.0  # documents a second per sender the pool is sized for (~3x what SQLite carries)
PKI_ALGORITHM = "rsa2048"
RECIPIENTS = 4  # as the mix's default


@dataclass(frozen=True, slots=True)
class SignatureOptions:
    seconds: int
    warmup: int
    repeat: int
    workers: int
    port: int  # 0: a free one per run
    in_flight: int
    pool: int | None  # documents per sender; None: POOL_RATE per second run
    receiver_verifies: bool
    server_url: str | None  # the PostgreSQL server the database copies are made on
    link: Link = field(default_factory=Link)  # how the mix's connectors reach the hub

    @property
    def per_sender(self) -> int:
        return self.pool or max(1, round(POOL_RATE * (self.seconds + self.warmup)))


@dataclass(frozen=True, slots=True)
class Pool:
    folder: Path
    documents: int
    seconds: float
    processes: int
    mean_bytes: float


def _say(text: str) -> None:
    print(f"eoffice bench: {text}", flush=True)


def presign(roster: Roster, pki_dir: Path, folder: Path, per_sender: int) -> Pool:
    processes = len(os.sched_getaffinity(0))
    jobs = plan(
        roster,
        pki_dir,
        folder,
        per_sender=per_sender,
        recipients=RECIPIENTS,
        notation=f"UBND-{secrets.token_hex(3).upper()}",
        on=datetime.now(VIETNAM),
        rng=random.Random(),
    )
    _say(f"signing {per_sender * len(jobs):,} documents on {processes} processes")
    started = time.perf_counter()
    documents = sign_pool(jobs, processes)
    took = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.glob("*/*.xml"))
    return Pool(folder, documents, took, processes, size / documents if documents else 0.0)


class SignatureBench:
    """One bench run: the seeded database, its signed pool, then a hub per policy and run."""

    def __init__(self, options: SignatureOptions, cores: Cores, workdir: Path, url: str) -> None:
        self.options, self.cores, self.workdir, self.url = options, cores, workdir, url
        self.data = workdir / "data"

    def run(self) -> SignatureReport:
        _say(f"seeding ninh-binh into {display_url(self.url)} ({PKI_ALGORITHM} certificates)")
        credentials = seed(self.url, self.data, extra={"EXCHANGE_PKI_ALGORITHM": PKI_ALGORITHM})
        roster = load_roster(credentials)
        folder = self.workdir / "presigned"
        pool = presign(roster, self.data / "pki", folder, self.options.per_sender)
        users = roster.mix_users
        mix = self._mix(credentials, pool)
        runs = [
            self.measure(policy, index, self._phase(policy, users, mix))
            for index in range(1, max(1, self.options.repeat) + 1)
            for policy in POLICIES
        ]
        return signature_report(
            backend=backend_name(self.url),
            database=display_url(self.url),
            machine=describe_machine(),
            settings=self.settings(pool, runs),
            runs=runs,
        )

    def _mix(self, credentials: Path, pool: Pool) -> tuple[str, ...]:
        mix = ["--credentials", str(credentials), "--in-flight", str(self.options.in_flight)]
        mix += ["--recipients", str(RECIPIENTS), "--presigned", str(pool.folder)]
        mix += self.options.link.arguments()
        if self.options.receiver_verifies:
            mix += ["--receiver-trust", str(self.data / "pki" / "public")]
        return tuple(mix)

    def _phase(self, policy: str, users: int, mix: tuple[str, ...]) -> Phase:
        o = self.options
        return Phase(policy, LOCUSTFILES["mix"], users, o.seconds, mix, o.warmup)

    def measure(self, policy: str, index: int, phase: Phase) -> PolicyRun:
        """A hub with this policy on a fresh copy of the seeded database, the mix against it."""
        _say(f"{policy} {index}: {phase.users} users, {phase.seconds} s")
        where = self.workdir / f"{policy}-{index}"
        where.mkdir(parents=True, exist_ok=True)
        name = f"hub-{policy}-{index}"
        with database_copy(self.url, server_url=self.options.server_url, name=name) as copy:
            server = self._server(copy, policy, where)
            try:
                server.start(self.cores.hub)
                result = run_phase(
                    phase, host=server.url, workdir=where, core=self.cores.locust, server=server.pid
                )
            finally:
                server.stop()
        return policy_run(policy, index, result, read_failures(where / phase.name))

    def _server(self, url: str, policy: str, where: Path) -> HubServer:
        extra = {"EXCHANGE_SIGNATURE_POLICY": policy, "EXCHANGE_PKI_ALGORITHM": PKI_ALGORITHM}
        port = self.options.port or free_port()
        return HubServer(
            url, self.data, port, self.options.workers, extra=extra, log=where / "serve.log"
        )

    def settings(self, pool: Pool, runs: list[PolicyRun]) -> dict[str, object]:
        o = self.options
        return {
            "seconds": o.seconds,
            "warmup_seconds": o.warmup,
            "repeat": o.repeat,
            "workers": o.workers,
            "in_flight_per_sender": o.in_flight,
            "recipients": RECIPIENTS,
            "transport": o.link.transport,
            "endpoint_prefix": o.link.prefix,
            **self.cores.describe(),
            "pki_algorithm": PKI_ALGORITHM,
            "pool_per_sender": o.per_sender,
            "pool_documents": pool.documents,
            "document_kib": pool.mean_bytes / 1024,
            "presign_seconds": pool.seconds,
            "presign_processes": pool.processes,
            "receivers": "verify before answering" if o.receiver_verifies else "do not verify",
            "order": [f"{r.policy} {r.run}" for r in runs],
            "database_per_run": "a fresh copy of the seeded database",
        }


def run_signatures(
    options: SignatureOptions, cores: Cores, workdir: Path, url: str
) -> SignatureReport:
    return SignatureBench(options, cores, workdir, url).run()
