"""`eoffice demo`: the trainers' workbench in one command. Seeds a province (Ninh Bình by
default) with its certificates, then serves the hub and the pages on one port."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys
import time
from typing import Any

from pydantic import SecretStr

from exchange.settings import Settings

__all__ = ["register"]

PASSWORD_ENV = "EXCHANGE_DEMO_PASSWORD"
SESSION_ENV = "EXCHANGE_DEMO_SESSION_SECRET"


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="the trainers' workbench: seed a province, serve the hub and the pages"
    )
    demo.add_argument("province", nargs="?", default="ninh-binh", help="e.g. ninh-binh")
    demo.add_argument("--structure", choices=["2019", "2025"], default="2019")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(run=cmd_demo)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from exchange.cli import _seed  # not at import time: keeps the CLI light
    from exchange.web.app import create_workbench_app
    from exchange.web.settings import WorkbenchSettings

    password = os.environ.get(PASSWORD_ENV, "")
    if not password and not _loopback(args.host):
        print(f"eoffice: serving {args.host} needs {PASSWORD_ENV} set", file=sys.stderr)
        return 2
    started = time.perf_counter()
    # the CAs only: each agency's certificates are issued when it first signs
    registry, credentials = _seed(settings, args.province, args.structure, certificates=False)
    chosen = password or _kept_secret(settings, "workbench-password", 9)
    key = os.environ.get(SESSION_ENV) or _kept_secret(settings, "workbench-session-key", 32)
    web = WorkbenchSettings(
        password=SecretStr(chosen),
        session_secret=SecretStr(key),
        registry=f"{registry.slug}-{registry.structure}",
    )
    base = f"http://{args.host}:{args.port}"
    print("eoffice-sim: the trainers' workbench")
    print(
        f"  province     {registry.name} ({registry.structure}): {len(registry.agencies)} agencies"
    )
    print(f"  open         {base}/")
    shown = chosen if not password else f"(from {PASSWORD_ENV})"
    print(f"  log in as    {web.user} / {shown}")
    print(f"  hub endpoint {base}   signature policy: {settings.signature_policy}")
    print(f"  credentials  {credentials}")
    print(f"  ready in    {time.perf_counter() - started:.1f} s (certificates as first needed)")
    print("  (Ctrl-C stops)")
    sys.stdout.flush()
    app = create_workbench_app(settings, web)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=settings.keep_alive_seconds,
    )
    return 0


def _kept_secret(settings: Settings, name: str, size: int) -> str:
    """Made once per data directory (0600, next to the systems' credentials) and kept, so a
    restarted demo keeps its password and its logged-in sessions."""
    path = settings.data_dir / "credentials" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(size))
    return path.read_text(encoding="ascii").strip()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
