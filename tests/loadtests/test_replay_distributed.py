"""The scaled-out topology of docker/compose.yaml on local processes, on PostgreSQL.

The compose file's own commands, with hosts, ports and paths made local: its migration and
seed step on a fresh database, two `eoffice serve` replicas sharing it, nginx with
docker/nginx.conf in front of them, a Locust master (`eoffice loadtest --master`) and two
workers (`eoffice loadtest --worker`, started in empty folders with no EXCHANGE_ settings:
they get everything from the master). A replay of 200 documents in ~20 s; then the master's
report counts every document, each worker played its own share, both replicas served, and
`eoffice reconcile` finds every document exactly once. A missing PostgreSQL or nginx fails.
No timing is asserted: the deadlines are hang guards.

Subprocesses: Locust patches the process it is imported into with gevent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from loadtests.hub_process import free_port
from tests.docker.support import eoffice_commands, local_nginx_conf, option, services, with_options
from tests.postgres import pg_admin, pg_url

pytestmark = pytest.mark.db

DOCUMENTS, WALL = "200", "20"
HANG_GUARD = 240  # seconds for the replay: a hang guard, not a speed check
BIN = Path(sys.executable).parent  # `eoffice` and `locust` of this environment


@dataclass(frozen=True, slots=True)
class Run:
    folder: Path
    report: dict[str, Any]
    master: str  # the master's output
    worker_dirs: list[Path]
    requests_per_hub: list[int]  # sendEdoc requests each replica counted
    reconcile: subprocess.CompletedProcess[str]


def _database(stack: ExitStack) -> str:
    name = f"eoffice_scaleout_{uuid.uuid4().hex[:12]}"
    pg_admin(f"CREATE DATABASE {name}")
    stack.callback(pg_admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return pg_url(name)


def _start(stack: ExitStack, argv: list[str], log: Path, **kwargs: Any) -> subprocess.Popen[str]:
    with log.open("w") as output:
        process = subprocess.Popen(
            argv,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            **kwargs,
        )
    stack.callback(_stop, process)
    return process


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode()) if response.status == 200 else None
    except (urllib.error.URLError, OSError):
        return None


def _wait_healthy(url: str, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if _get(f"{url}/healthz") is not None:
            return
        time.sleep(0.2)
    pytest.fail(f"nothing healthy at {url}:\n{log.read_text(errors='replace')[-2000:]}")


def _local(argv: list[str]) -> list[str]:
    """`eoffice` of this environment."""
    return [str(BIN / argv[0]), *argv[1:]]


def _migrate(env: dict[str, str], folder: Path) -> None:
    """The compose file's migrate step, each of its commands as it stands."""
    for argv in eoffice_commands(services()["migrate"]):
        done = subprocess.run(_local(argv), env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{argv}: {done.stdout}{done.stderr}"
        with (folder / "migrate.log").open("a") as log:
            log.write(done.stdout + done.stderr)


def _hubs(stack: ExitStack, env: dict[str, str], folder: Path) -> list[int]:
    [serve] = eoffice_commands(services()["hub"])
    ports = [free_port(), free_port()]
    started = []
    for index, port in enumerate(ports):
        argv = with_options(serve, host="127.0.0.1", port=str(port))
        log = folder / f"hub-{index}.log"
        started.append((_start(stack, _local(argv), log, env=env), port, log))
    for process, port, log in started:
        _wait_healthy(f"http://127.0.0.1:{port}", process, log)
    return ports


def _load_balancer(stack: ExitStack, hub_ports: list[int], folder: Path) -> str:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("nginx is required for this test (scripts/apt-packages.txt)")
    port = free_port()
    home = folder / "nginx"
    home.mkdir()
    (home / "lb.conf").write_text(local_nginx_conf(hub_ports, port))
    temp = " ".join(f"{kind}_temp_path {home / kind};" for kind in ("client_body", "proxy"))
    (home / "nginx.conf").write_text(
        "daemon off;\nmaster_process off;\n"
        f"pid {home / 'nginx.pid'};\nerror_log {home / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; {temp} include {home / 'lb.conf'}; }}\n"
    )
    log = folder / "nginx.log"
    process = _start(stack, [nginx, "-p", str(home), "-c", str(home / "nginx.conf")], log)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, process, log)
    return url


def _sent_documents(metrics: str) -> int:
    """`eoffice_requests_total` lines for sendEdoc (any status) in a hub's /metrics."""
    total = 0.0
    for line in metrics.splitlines():
        if line.startswith("eoffice_requests_total{") and "sendEdoc" in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


@dataclass(frozen=True, slots=True)
class Replayed:
    folder: Path
    master: str
    worker_dirs: list[Path]


def _replay(stack: ExitStack, env: dict[str, str], folder: Path, lb: str, url: str) -> Replayed:
    compose = services()
    [master_cmd] = eoffice_commands(compose["locust-master"])
    [worker_cmd] = eoffice_commands(compose["locust-worker"])
    port = str(free_port())
    credentials = option(master_cmd, "--credentials").replace("/data", env["EXCHANGE_DATA_DIR"])
    report = folder / "report"
    master_argv = with_options(
        master_cmd,
        expect_workers_max_wait="60",
        master_bind_port=port,
        host=lb,
        credentials=credentials,
        database_url=url,
        documents=DOCUMENTS,
        wall=WALL,
    )
    master_argv += ["--master-bind-host", "127.0.0.1", "--report", str(report)]
    master_argv += ["--drain", "120", "--max-error-rate", "0"]
    (folder / "master").mkdir()
    master_log = folder / "master.log"
    master = _start(stack, _local(master_argv), master_log, env=env, cwd=folder / "master")
    workers, worker_dirs = [], []
    bare = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    for index in range(int(option(master_cmd, "--expect-workers"))):
        home = folder / f"worker-{index}"
        home.mkdir()
        argv = _local(with_options(worker_cmd, master_host="127.0.0.1", master_port=port))
        log = folder / f"worker-{index}.log"
        workers.append(_start(stack, argv, log, env=bare, cwd=home))
        worker_dirs.append(home)
    master.wait(HANG_GUARD)
    output = master_log.read_text(errors="replace")
    assert master.returncode == 0, output[-4000:]
    for worker in workers:
        worker.wait(30)  # the master's quit message ends them
    return Replayed(report, output, worker_dirs)


@pytest.fixture(scope="module")
def scaled_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    folder = tmp_path_factory.mktemp("scaleout")
    with ExitStack() as stack:
        url = _database(stack)
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "EXCHANGE_DATABASE_URL": url,
            "EXCHANGE_DATA_DIR": str(folder / "data"),
            "EXCHANGE_PKI_ALGORITHM": "ec-p256",  # RSA keys cost ~60 ms each
        }
        _migrate(env, folder)
        hub_ports = _hubs(stack, env, folder)
        lb = _load_balancer(stack, hub_ports, folder)
        run = _replay(stack, env, folder, lb, url)
        metrics = [_get(f"http://127.0.0.1:{p}/metrics") or "" for p in hub_ports]
        reconcile = subprocess.run(
            [str(BIN / "eoffice"), "reconcile", "--report", str(run.folder)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        yield Run(
            folder=run.folder,
            report=json.loads((run.folder / "report.json").read_text()),
            master=run.master,
            worker_dirs=run.worker_dirs,
            requests_per_hub=[_sent_documents(m) for m in metrics],
            reconcile=reconcile,
        )


def test_each_worker_played_its_own_share(scaled_out: Run) -> None:
    workers = scaled_out.report["locust_workers"]
    assert [w["partition"] for w in workers] == [0, 1]
    nodes = [w["node"] for w in workers]
    assert len(set(nodes)) == 2 and "local" not in nodes
    assert all(w["documents"] > 0 and w["exhausted"] for w in workers), workers


def test_the_masters_report_counts_every_document(scaled_out: Run) -> None:
    report = scaled_out.report
    summary = report["summary"]
    assert summary["documents_accepted"] == summary["documents_planned"] > 0
    assert summary["errors"] == 0 and summary["backlog_at_end"] == 0
    assert report["completed"] and not report["interrupted"]
    assert sum(w["documents"] for w in report["locust_workers"]) == summary["documents_accepted"]
    assert report["params"]["documents"] == int(DOCUMENTS)


def test_the_workers_needed_no_shared_disk(scaled_out: Run) -> None:
    """The workers ran in empty folders and left them empty; their parts are the master's."""
    assert all(not any(home.iterdir()) for home in scaled_out.worker_dirs)
    parts = sorted(p.name for p in (scaled_out.folder / "parts").glob("part-*.json"))
    assert parts == ["part-0.json", "part-1.json"]


def test_the_load_balancer_spread_documents_over_both_replicas(scaled_out: Run) -> None:
    assert len(scaled_out.requests_per_hub) == 2
    assert all(count > 0 for count in scaled_out.requests_per_hub), scaled_out.requests_per_hub


def test_reconcile_finds_every_document_exactly_once(scaled_out: Run) -> None:
    done = scaled_out.reconcile
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for kind in ("lost", "duplicated", "stuck", "unexpected"):
        assert any(line.split() == [kind, "0"] for line in lines), kind
    accepted = scaled_out.report["summary"]["documents_accepted"]
    assert f"on the hub {accepted:,}" in done.stdout
