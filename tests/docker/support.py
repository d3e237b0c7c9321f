"""docker/compose.yaml and docker/nginx.conf as the tests read them: the services, their
commands with `${VAR:-default}` resolved to the defaults, options by flag, and the load
balancer's configuration rewritten for local processes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
NGINX_CONF = DOCKER / "nginx.conf"

_DEFAULTED = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*):-(?P<default>[^}]*)\}")
_UPSTREAM_SERVER = re.compile(r"^(?P<indent>\s*)server\s+(?P<host>[\w.-]+):(?P<port>\d+)\s*;", re.M)
_LISTEN = re.compile(r"^(?P<indent>\s*)listen\s+(?P<port>\d+)\s*;", re.M)


def resolve(text: str) -> str:
    """`${VAR:-default}` as compose reads it with VAR unset; any other `$` is refused."""
    resolved = _DEFAULTED.sub(lambda m: m["default"], text)
    assert "$" not in resolved, f"a variable without a default: {text}"
    return resolved


def _document() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return found


def services() -> dict[str, Any]:
    found: dict[str, Any] = _document()["services"]
    return found


def volumes() -> set[str]:
    """The named volumes the file declares."""
    return set(_document().get("volumes") or {})


def eoffice_commands(service: dict[str, Any]) -> list[list[str]]:
    """The `eoffice ...` commands a service runs (an `sh -c` script split at `&&`)."""
    command = [resolve(str(part)) for part in service.get("command", [])]
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(step) for step in command[2].split("&&")]
    return [command] if command and command[0] == "eoffice" else []


def option(argv: list[str], flag: str) -> str:
    assert flag in argv, f"{flag} missing from {argv}"
    return argv[argv.index(flag) + 1]


def with_options(argv: list[str], **values: str) -> list[str]:
    """The command with the value after each flag replaced (`master_host=` for --master-host);
    every flag must be there already: a local run uses the compose file's own options."""
    changed = list(argv)
    for name, value in values.items():
        flag = "--" + name.replace("_", "-")
        assert flag in changed, f"{flag} missing from {argv}"
        changed[changed.index(flag) + 1] = value
    return changed


def upstream_servers(conf: str) -> list[tuple[str, int]]:
    return [(m["host"], int(m["port"])) for m in _UPSTREAM_SERVER.finditer(conf)]


def listen_ports(conf: str) -> list[int]:
    return [int(m["port"]) for m in _LISTEN.finditer(conf)]


def local_nginx_conf(hub_ports: list[int], port: int) -> str:
    """docker/nginx.conf with the replicas' service name replaced by local hubs' ports and the
    listening port by a local one; the rest (buffering, keep-alive, headers) as in compose."""
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert len(upstream_servers(conf)) == 1 and len(listen_ports(conf)) == 1, conf

    def servers(match: re.Match[str]) -> str:
        lines = [f"{match['indent']}server 127.0.0.1:{p};" for p in hub_ports]
        return "\n".join(lines)

    conf = _UPSTREAM_SERVER.sub(servers, conf)
    return _LISTEN.sub(lambda m: f"{m['indent']}listen 127.0.0.1:{port};", conf)
