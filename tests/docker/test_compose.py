"""docker/ read against the code it runs (no Docker engine needed): every `eoffice` command in
docker/compose.yaml parses with the real CLI parsers, its EXCHANGE_ settings are the hub's,
the services start in the right order, the names and ports they use to reach each other
agree, and the Dockerfile installs the repository in place. (The parsers are the CLI's own,
reached through their private builders: `eoffice`'s has no dry run.)
"""

from __future__ import annotations

import argparse
import re
from pathlib import PurePosixPath
from typing import Any

import pytest

from eoffice.main import parser as eoffice_parser
from exchange.settings import Settings
from loadtests.replay import distributed
from loadtests.replay.run import _parser as loadtest_parser
from tests.docker.support import (
    DOCKER,
    NGINX_CONF,
    eoffice_commands,
    listen_ports,
    resolve,
    services,
    upstream_servers,
    volumes,
)

SERVICES = services()
COMMANDS = [
    (name, argv) for name, service in SERVICES.items() for argv in eoffice_commands(service)
]


def _parse(argv: list[str]) -> argparse.Namespace:
    """As `eoffice` would, down to `eoffice loadtest`'s own parser and its checks."""
    assert argv[0] == "eoffice"
    args = eoffice_parser(argv[1:]).parse_args(argv[1:])
    if argv[1] == "loadtest":
        parser = loadtest_parser()
        args = parser.parse_args(args.args)
        distributed.check(parser, args)
    return args


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Mount point -> source (a named volume or a path)."""
    found = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        found[target] = source
    return found


def _volume_of(service: dict[str, Any], path: str) -> str:
    """The volume `path` lies on in that service (fails when it is on no mount)."""
    mounts = _mounts(service)
    for target in sorted(mounts, key=len, reverse=True):
        if PurePosixPath(path).is_relative_to(target):
            return mounts[target]
    raise AssertionError(f"{path} is on no volume of {service.get('command')}")


def _after(service: str, dependency: str) -> str:
    return str(SERVICES[service]["depends_on"][dependency]["condition"])


def test_the_topology_has_its_services() -> None:
    wanted = {"postgres", "migrate", "hub", "lb", "locust-master", "locust-worker"}
    assert wanted <= SERVICES.keys()
    assert str(SERVICES["postgres"]["image"]).startswith("postgres:15")
    assert int(resolve(str(SERVICES["hub"]["deploy"]["replicas"]))) >= 2
    assert int(resolve(str(SERVICES["locust-worker"]["deploy"]["replicas"]))) >= 2


@pytest.mark.parametrize(("service", "argv"), COMMANDS, ids=[" ".join(a) for _, a in COMMANDS])
def test_every_eoffice_command_parses_with_the_real_cli(service: str, argv: list[str]) -> None:
    _parse(argv)  # argparse exits (SystemExit 2) on anything it does not take


def test_every_service_of_the_image_runs_eoffice() -> None:
    built = [name for name, service in SERVICES.items() if "build" in service]
    assert sorted(built) == ["hub", "locust-master", "locust-worker", "migrate"]
    assert all(eoffice_commands(SERVICES[name]) for name in built)


def test_the_migration_step_runs_the_migrations_then_seeds() -> None:
    steps = [argv[1:] for argv in eoffice_commands(SERVICES["migrate"])]
    assert steps[0] == ["db", "upgrade"] and steps[1][0] == "seed"
    assert _after("migrate", "postgres") == "service_healthy"
    assert SERVICES["postgres"]["healthcheck"]


def test_hubs_and_load_tester_wait_for_the_migration_to_succeed() -> None:
    for service in ("hub", "locust-master"):
        assert _after(service, "migrate") == "service_completed_successfully"
    assert _after("lb", "hub") == "service_healthy"
    assert _after("locust-master", "lb") == "service_healthy"
    assert "locust-master" in SERVICES["locust-worker"]["depends_on"]


def test_the_environment_is_the_hubs_settings() -> None:
    for name in ("migrate", "hub"):
        environment = SERVICES[name]["environment"]
        fields = {key.removeprefix("EXCHANGE_").lower(): v for key, v in environment.items()}
        assert all(key.startswith("EXCHANGE_") for key in environment)
        assert fields.keys() <= Settings.model_fields.keys()
        settings = Settings.model_validate(fields)  # the URL and paths validate
        assert settings.database_url.startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in settings.database_url


def test_the_hubs_listen_where_the_load_balancer_sends() -> None:
    serve = _parse(eoffice_commands(SERVICES["hub"])[0])
    assert serve.host == "0.0.0.0"
    conf = NGINX_CONF.read_text(encoding="utf-8")
    assert upstream_servers(conf) == [("hub", serve.port)]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in SERVICES["lb"]["volumes"]
    assert "proxy_pass http://hubs;" in conf  # no URI part: signed paths pass unchanged


def test_the_master_replays_against_the_load_balancer_with_the_seeds_credentials() -> None:
    [master] = eoffice_commands(SERVICES["locust-master"])
    args = _parse(master)
    assert args.master and args.host == f"http://lb:{listen_ports(NGINX_CONF.read_text())[0]}"
    seed = eoffice_commands(SERVICES["migrate"])[1]
    data_dir = SERVICES["migrate"]["environment"]["EXCHANGE_DATA_DIR"]
    written = f"{data_dir}/credentials/{seed[2]}-2019.json"
    assert str(args.credentials) == written
    shared = _volume_of(SERVICES["migrate"], written)
    assert _volume_of(SERVICES["locust-master"], written) == shared
    assert args.database_url == SERVICES["hub"]["environment"]["EXCHANGE_DATABASE_URL"]


def test_the_master_writes_its_report_into_a_volume() -> None:
    master = SERVICES["locust-master"]
    args = _parse(eoffice_commands(master)[0])
    image_workdir = [arg for kind, arg in _instructions() if kind == "WORKDIR"][-1]
    working_dir = PurePosixPath(master.get("working_dir", image_workdir))
    report = working_dir / (args.report or "reports/loadtest-ninh-binh-<time>")  # its default
    assert _volume_of(master, str(report)) == "reports" and "reports" in volumes()


def test_the_workers_reach_the_master_and_are_as_many_as_it_waits_for() -> None:
    master = _parse(eoffice_commands(SERVICES["locust-master"])[0])
    worker = _parse(eoffice_commands(SERVICES["locust-worker"])[0])
    assert worker.worker and worker.master_host == "locust-master"
    assert worker.master_port == master.master_bind_port
    replicas = int(resolve(str(SERVICES["locust-worker"]["deploy"]["replicas"])))
    assert master.expect_workers == replicas
    assert "volumes" not in SERVICES["locust-worker"]  # no shared disk


def test_the_image_is_built_from_the_repository_with_the_dockerfile() -> None:
    for name in ("migrate", "hub", "locust-master", "locust-worker"):
        build = SERVICES[name]["build"]
        context = (DOCKER / build["context"]).resolve()
        assert (context / "pyproject.toml").is_file()
        assert (context / build["dockerfile"]).resolve() == DOCKER / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_dockerfile_copies_the_repository_to_app_and_installs_it_there() -> None:
    steps = _instructions()
    assert steps[0] == ("FROM", "python:3.11-slim-bookworm")
    apt = next(arg for kind, arg in steps if kind == "RUN" and "apt-get install" in arg)
    assert {"openssl", "xmlsec1", "fonts-dejavu-core"} <= set(re.split(r"\s+", apt))
    copy = steps.index(("COPY", ". /app"))
    install = next(i for i, (k, a) in enumerate(steps) if k == "RUN" and "pip install -e ." in a)
    workdirs = [a for k, a in steps[:install] if k == "WORKDIR"]
    assert copy < install and workdirs[-1] == "/app"
    ignored = (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "eoffice-data", "reports"} <= set(ignored)
