"""The hub's commands of `eoffice` (collected by `eoffice.main`): run the hub, seed
registries, migrate, check the audit chain, build the registries."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from exchange.certificates import issue_for_agencies, open_or_init
from exchange.cli_args import port, positive_int
from exchange.cli_history import register as register_history
from exchange.db.anchors import Anchor, AnchorError
from exchange.db.audit_check import AuditVerdict, verify_audit
from exchange.db.engine import display_url, make_engine, make_reader
from exchange.db.migrate import upgrade
from exchange.db.repos.directory import SystemCredentials
from exchange.db.writer import run_once
from exchange.domain.agencies import Agency, Tier
from exchange.registry import NATIONAL, Registry, load_registry
from exchange.services.seeding import seed
from exchange.settings import Settings
from signing import KeyAlgorithm

__all__ = ["register"]


def register(commands: Any) -> None:
    up = commands.add_parser("up", help="migrate, seed a province, print a summary, serve")
    _province_args(up)
    _serve_args(up)
    up.set_defaults(run=cmd_up)

    seed_cmd = commands.add_parser(
        "seed", help="load a province's registry (or `national`: every province) into the hub"
    )
    _province_args(seed_cmd)
    seed_cmd.add_argument(
        "--no-certificates",
        action="store_true",
        help="issue no agency certificates (the PKI's CAs only): for a hub whose traffic is not"
        " signed, as the load tests' unless --signed (`eoffice pki issue` adds them later)",
    )
    seed_cmd.set_defaults(run=cmd_seed)

    serve = commands.add_parser("serve", help="run the hub with uvicorn")
    _serve_args(serve)
    serve.set_defaults(run=cmd_serve)

    db = commands.add_parser("db", help="database schema").add_subparsers(required=True)
    db.add_parser("upgrade", help="apply Alembic migrations").set_defaults(run=cmd_db_upgrade)
    register_history(db)

    audit = commands.add_parser("audit", help="the hash-chained audit log")
    audit_commands = audit.add_subparsers(required=True)
    verify = audit_commands.add_parser("verify", help="walk the chain, check the anchors")
    verify.add_argument(
        "--report",
        type=Path,
        help="a loadtest's report folder: the database (and anchors) of the hub it ran on",
    )
    verify.add_argument("--database-url", help="this database instead (anchors: the settings')")
    verify.set_defaults(run=cmd_audit_verify)

    registry = commands.add_parser("registry", help="agency registries in fixtures/")
    registry_commands = registry.add_subparsers(required=True)
    build = registry_commands.add_parser("build", help="regenerate from the admin-unit data")
    build.add_argument("--data", type=Path, default=None, help="folder of the admin-unit JSON")
    build.add_argument("--out", type=Path, default=None, help="fixtures/registries folder")
    build.set_defaults(run=cmd_registry_build)


def _province_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "province", nargs="?", default="ninh-binh", help=f"a province, or {NATIONAL}"
    )
    parser.add_argument(
        "--structure", choices=["2019", "2025"], default="2019", help="administrative map"
    )


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="the interface to listen on")
    parser.add_argument("--port", type=port, default=8000, help="TCP port")
    parser.add_argument("--workers", type=positive_int, default=1, help="uvicorn processes")


def cmd_db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    upgrade(settings.database_url)
    print(f"database at {display_url(settings.database_url)} is at the newest schema")
    return 0


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    registry, path = _seed(
        settings, args.province, args.structure, certificates=not args.no_certificates
    )
    print(f"seeded {registry.name} ({args.structure}): {len(registry.agencies)} agencies")
    print(f"credentials: {path}")
    return 0


def _seed(
    settings: Settings, province: str, structure: str, *, certificates: bool = True
) -> tuple[Registry, Path]:
    """`certificates=False`: the PKI's CAs only; agencies' certificates come as first needed."""
    registry = load_registry(province, structure)
    central = load_registry("central")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        credentials = run_once(engine, lambda store: seed(store, [registry, central]))
    finally:
        engine.dispose()
    path = _write_credentials(settings, registry, [registry, central], credentials)
    signers = _signers(registry, [*registry.agencies, *central.agencies]) if certificates else []
    _issue_certificates(settings, signers)
    return registry, path


# The district and commune tiers reach the national hub through their province's hub: seeding
# the national directory certifies the tiers that sign there (2019: 1,274 agencies of 13,040;
# RSA keys cost ~60 ms each).
_NATIONAL_SIGNERS = frozenset({Tier.CENTRAL, Tier.PROVINCE})


def _signers(registry: Registry, agencies: Sequence[Agency]) -> Sequence[Agency]:
    """The agencies that get certificates: all of a province's, the signing tiers nationally."""
    if registry.slug != NATIONAL:
        return agencies
    return [a for a in agencies if a.tier in _NATIONAL_SIGNERS]


def _issue_certificates(settings: Settings, agencies: Sequence[Agency]) -> None:
    started = time.perf_counter()
    now = datetime.now(UTC)
    pki = open_or_init(settings.pki_path, now, KeyAlgorithm(settings.pki_algorithm))
    issued = issue_for_agencies(pki, agencies, now)
    took = time.perf_counter() - started
    algorithm = pki.algorithm.value
    print(f"certificates: {issued} issued ({algorithm}, {took:.1f} s); PKI at {pki.directory}")


def _write_credentials(
    settings: Settings,
    registry: Registry,
    registries: Sequence[Registry],
    credentials: Sequence[SystemCredentials],
) -> Path:
    hosted: dict[str, list[dict[str, str]]] = {}
    for agency in (a for r in registries for a in r.agencies):
        entry = {"code": agency.code, "name": agency.name, "tier": agency.tier.value}
        hosted.setdefault(agency.system_id, []).append(entry)
    document = {
        "registry": f"{registry.slug}-{registry.structure}",
        "database": display_url(settings.database_url),
        "systems": [
            {
                "systemId": c.system.id,
                "name": c.system.name,
                "secret": c.secret,
                "agencies": hosted.get(c.system.id, []),
            }
            for c in credentials
        ],
    }
    folder = settings.data_dir / "credentials"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{registry.slug}-{registry.structure}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False, indent=1)
    return path.resolve()


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    upgrade(settings.database_url)
    if args.workers > 1:  # request counters summed over worker processes
        metrics_dir = tempfile.mkdtemp(prefix="eoffice-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    uvicorn.run(
        "exchange.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=settings.keep_alive_seconds,
    )
    return 0


def cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    registry, path = _seed(settings, args.province, args.structure)
    tiers: dict[str, int] = {}
    for agency in registry.agencies:
        tiers[agency.tier.value] = tiers.get(agency.tier.value, 0) + 1
    base = f"http://{args.host}:{args.port}"
    print("eoffice-sim hub")
    print(
        f"  registry     {registry.name} ({registry.structure}): "
        + ", ".join(f"{n} {tier}" for tier, n in tiers.items())
        + f"; {len(registry.systems)} systems"
    )
    print("  central      Văn phòng Chính phủ (000.00.00.G22) and ministries, system 'central'")
    print(f"  database     {display_url(settings.database_url)}")
    print(f"  credentials  {path}")
    print(f"  endpoint     {base}  (the national protocol, also at {base}/vxp; {base}/docs)")
    print(f"  auth         {settings.auth_profile} profile")
    print(f"  health       {base}/healthz   metrics: {base}/metrics")
    print(f"  workers      {args.workers}   (Ctrl-C stops)")
    sys.stdout.flush()
    return cmd_serve(settings, args)


def cmd_audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    """The chain's links, then the anchors outside the database: what was cut or re-sealed.
    Reads through a read-only engine: a running hub's writer is never held up."""
    audited = _audited(settings, args)
    if isinstance(audited, str):
        print(f"eoffice audit verify: {audited}", file=sys.stderr)
        return 2
    print(f"audit of {display_url(audited.database_url)}")
    return _verify_audit(audited)


def _audited(settings: Settings, args: argparse.Namespace) -> Settings | str:
    """The settings of the hub to audit: a load test's (its report names its database; the
    hub it started keeps its anchors in <report>/data), or --database-url; or why not."""
    update: dict[str, object] = {}
    if args.report is not None:
        found = args.report / "report.json"
        if not found.is_file():
            return f"no report at {found}; is {args.report} a loadtest's folder?"
        url = json.loads(found.read_text(encoding="utf-8")).get("database_url")
        if not url and not args.database_url:
            return f"{found} names no database (a run against --host): give --database-url"
        update = {"database_url": url, "audit_anchor_dir": (args.report / "data").resolve()}
    if args.database_url:
        update["database_url"] = args.database_url
    return settings.model_copy(update=update)


def _verify_audit(settings: Settings) -> int:
    engine = make_reader(settings.database_url)
    try:
        verdict = verify_audit(engine, settings.anchor_path)
    except AnchorError as error:
        print(f"audit anchors cannot be checked: {error}")
        return 1
    finally:
        engine.dispose()
    for line in _audit_findings(verdict):
        print(line)
    return 0 if verdict.intact else 1


def _audit_findings(verdict: AuditVerdict) -> list[str]:
    lines = []
    if verdict.broken is not None:
        entry = verdict.broken.entry
        at = entry.at.isoformat()
        lines.append(f"audit chain BROKEN at record {verdict.broken.seq} ({entry.event}, {at})")
    if verdict.anchors.forged:
        numbers = ", ".join(str(n) for n in verdict.anchors.forged)
        lines.append(
            f"audit anchors FORGED: line(s) {numbers} of {verdict.anchors.path} are not"
            " anchors signed with this hub's key"
        )
    if verdict.rewritten is not None:
        lines.append(_rewritten(verdict))
    if verdict.cut is not None:
        lines.append(_cut(verdict))
    if not lines:
        lines.append(f"audit chain intact: {verdict.records} records; {_anchoring(verdict)}")
    return lines


def _anchor(anchor: Anchor) -> str:
    at = anchor.at.isoformat(timespec="seconds")
    return f"the anchor of record {anchor.seq} ({at}, line {anchor.line})"


def _anchoring(verdict: AuditVerdict) -> str:
    if verdict.holds is None:
        return f"no anchors in {verdict.anchors.path}: a cut or re-sealed end would not show"
    return f"{_anchor(verdict.holds)} holds, {verdict.unanchored} records since"


def _rewritten(verdict: AuditVerdict) -> str:
    assert verdict.rewritten is not None
    anchor, holds = verdict.rewritten.anchor, verdict.rewritten.holds
    start = holds.seq + 1 if holds else 1
    since = (
        f"{_anchor(holds)} still holds"
        if holds
        else "no earlier anchor holds (a database made anew beside an old anchors file reads"
        " the same: move that file aside)"
    )
    return (
        f"audit chain REWRITTEN: record {anchor.seq} no longer has the hash in {_anchor(anchor)}"
        f" of {verdict.anchors.path}; {since}: the rewrite begins in records {start}-{anchor.seq}"
    )


def _cut(verdict: AuditVerdict) -> str:
    assert verdict.cut is not None
    cut = verdict.cut
    since = f"; intact up to {_anchor(verdict.holds)}" if verdict.holds else ""
    return (
        f"audit chain CUT: records {cut.first}-{cut.last} are gone (the chain ends at record"
        f" {cut.first - 1}; {_anchor(cut.anchor)} of {verdict.anchors.path} saw them){since}"
    )


def cmd_registry_build(_settings: Settings, args: argparse.Namespace) -> int:
    from exchange.registry.build import build_all, default_data_dir, default_out_dir

    written = build_all(args.data or default_data_dir(), args.out or default_out_dir())
    for path in written:
        print(path)
    return 0
