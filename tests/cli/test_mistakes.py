"""Mistakes a user makes at the command line, each answered with one sentence on one
line of stderr and exit 2: never a traceback, never a run that goes ahead with a value it
cannot use. All run at once (each is its own `eoffice` process)."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cli.support import EOFFICE

DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"  # nothing listens on port 1

# (what the user typed, settings in the environment, what the one line must say)
MISTAKES: list[tuple[tuple[str, ...], dict[str, str], str]] = [
    (("loadtest", "--profile", "atlantis"), {}, "atlantis.toml: (file): No such file"),
    (("loadtest", "--start", "2016-02-30"), {}, "'2016-02-30' is not a date as YYYY-MM-DD"),
    (("loadtest", "--documents", "-5"), {}, "argument --documents: must be 1 or more, not -5"),
    (("loadtest", "--wall", "0"), {}, "argument --wall: must be above 0, not 0"),
    (("loadtest", "--duration", "soon"), {}, "argument --duration: 'soon' is not a number"),
    (("loadtest", "--start", "2017-03-01", "--end", "2017-02-01"), {}, "is before --start"),
    (("loadtest", "--processes", "0"), {}, "argument --processes: must be 1 or more, not 0"),
    (("loadtest", "--host", "http://127.0.0.1:9"), {}, "--host needs --credentials"),
    (("capacity", "--profile", "atlantis"), {}, "atlantis.toml: (file): No such file"),
    (("bench", "--duration", "-1"), {}, "argument --duration: must be 1 or more, not -1"),
    (("seed", "atlantis"), {}, "atlantis"),
    (("seed", "ninh-binh", "--structure", "2020"), {}, "invalid choice: '2020'"),
    (("serve", "--port", "70000"), {}, "a TCP port is 1-65535, not 70000"),
    (("serve", "--workers", "0"), {}, "argument --workers: must be 1 or more, not 0"),
    (("audit", "verify"), {"EXCHANGE_DATABASE_URL": DOWN}, "cannot use the database:"),
    (("db", "upgrade"), {"EXCHANGE_DATABASE_URL": DOWN}, "cannot use the database:"),
    (("db", "upgrade"), {"EXCHANGE_SIGNATURE_POLICY": "sometimes"}, "EXCHANGE_SIGNATURE_POLICY"),
    (("audit", "verify", "--report", "no-such-run"), {}, "no report at no-such-run/report.json"),
    (("verify", "no-such.pdf"), {}, "no-such.pdf: No such file or directory"),
    (("verify", "broken.edxml"), {}, "The XML is not well-formed: line 1"),
    (("frobnicate",), {}, "argument COMMAND: invalid choice: 'frobnicate'"),
    (("pdf", "--agency", "000.00.99.H99", "--out", "x.pdf"), {}, "no agency '000.00.99.H99'"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("mistakes")
    (folder / "broken.edxml").write_text("<edXMLEnvelope><unclosed></edXMLEnvelope>")
    base = {**os.environ, "EXCHANGE_DATA_DIR": str(folder / "data")}
    base["EXCHANGE_DATABASE_URL"] = f"sqlite:///{folder / 'hub.db'}"
    base["EXCHANGE_PKI_ALGORITHM"] = "ec-p256"
    for setup in (("pki", "init"), ("db", "upgrade")):  # a PKI, a hub with no agencies yet
        done = subprocess.run([*EOFFICE, *setup], env=base, cwd=folder, capture_output=True)
        assert done.returncode == 0, done.stderr

    def typed(argv: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*EOFFICE, *argv],
            env={**base, **env},
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda m: typed(m[0], m[1]), MISTAKES))


def test_the_table_has_twenty_mistakes() -> None:
    assert len(MISTAKES) >= 20


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[" ".join(m[0]) for m in MISTAKES])
def test_a_mistake_is_one_line_and_exit_2(
    answers: list[subprocess.CompletedProcess[str]], index: int
) -> None:
    argv, _, sentence = MISTAKES[index]
    done = answers[index]
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"eoffice {argv[0]}") or argv[0] == "frobnicate", lines[0]
    assert sentence in lines[0]
