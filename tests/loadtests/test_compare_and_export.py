"""`eoffice compare` on two reports, and the live Prometheus export of a replay's figures
(scraped over HTTP from prometheus_client's own server, read with its own parser)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from loadtests.replay.compare import compare
from loadtests.replay.merge import merge
from loadtests.replay.prometheus import Exporter
from loadtests.replay.recorder import Recorder
from loadtests.replay.yardstick import NOOP, measure
from tests.loadtests.support import eoffice


def _report(rps: float, noop: float, p99: float, documents: int) -> dict[str, Any]:
    return {
        "params": {"profile": "ninh-binh", "seed": "1", "documents": documents},
        "yardstick": [{"key": NOOP, "name": "no-op", "value": noop, "unit": "requests/s"}],
        "summary": {
            "documents_accepted": documents,
            "documents_per_s": rps / 35,
            "requests_per_s": rps,
            "error_rate": 0.0,
            "backlog_at_end": 0,
            "statuses_held_at_end": 0,
        },
        "calls": {"sendEdoc edoc": {"p50_ms": 20.0, "p99_ms": p99}},
    }


def test_compare_allows_for_a_slower_machine() -> None:
    same_hub = compare(_report(800, 4000, 90, 1000), _report(400, 2000, 180, 2000))
    assert "  documents: 1000 -> 2000" in same_hub
    assert any(
        line.split()[:3] == ["requests", "per", "s"] and line.endswith("0.50") for line in same_hub
    )
    assert same_hub[-1].endswith("1.00x A's (within 10%: the same)")
    slower_hub = compare(_report(800, 4000, 90, 1000), _report(400, 4000, 180, 1000))
    assert slower_hub[-1].endswith("0.50x A's (a real change)")
    assert "  none: the same replay" in slower_hub


def test_eoffice_compare_prints_the_difference(tmp_path: Path) -> None:
    for name, report in (("a", _report(800, 4000, 90, 1000)), ("b", _report(600, 4000, 95, 1000))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_text(json.dumps(report))
    done = eoffice("compare", str(tmp_path / "a"), str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert "sendEdoc edoc p99" in done.stdout and "0.75x A's (a real change)" in done.stdout


def test_the_yardstick_has_its_three_figures_against_no_hub() -> None:
    figures = measure("http://127.0.0.1:9", seconds=0.2)  # nobody there: no no-op figure
    assert [f["unit"] for f in figures] == ["signatures/s", "commits/s"]
    assert all(float(str(f["value"])) > 0 for f in figures)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_export_serves_the_merged_figures() -> None:
    recorder = Recorder(started=100.0)
    for i in range(100):
        recorder.request("getEdoc edoc", 100.0, 100.0, 100.0 + (i + 1) / 1000, "")
    recorder.accepted("2016-09-01|province>district", 9, 100.5, 3)
    recorder.count("acked", 101.0, 1)
    recorder.gauges["held"] = 4.0
    port = _free_port()
    exporter = Exporter(port)
    exporter.update(merge([recorder.to_json()]))
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("eoffice_loadtest_backlog", ())] == 2
    assert samples[("eoffice_loadtest_total", (("what", "requests"),))] == 100
    assert samples[("eoffice_loadtest_now", (("what", "held"),))] == 4
    p99 = samples[("eoffice_loadtest_latency_ms", (("call", "getEdoc edoc"), ("quantile", "0.99")))]
    assert 98 <= p99 <= 100
