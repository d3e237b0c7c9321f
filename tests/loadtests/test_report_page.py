"""The replay report's page as an engineer reads it: the verdict first, the parameters, whole
milliseconds and counts, every plot titled; on a phone (nothing wider than the screen) and on
a desktop in Chromium, with screenshots kept; and printed to PDF."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from loadtests.profiles import load_profile
from loadtests.replay.merge import merge
from loadtests.replay.page import parameters, summary_rows, verdict
from loadtests.replay.recorder import Recorder
from loadtests.replay.render import render_html
from loadtests.replay.report import build_report
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

SHOTS = os.environ.get("EOFFICE_SCREENSHOTS")  # a folder to keep the screenshots in
CALLS = ("sendEdoc edoc", "getEdoc edoc", "updateStatus edoc", "sendEdoc status")


def _report(backlog: int = 0) -> dict[str, Any]:
    recorder = Recorder(started=100.0)
    for second in range(120):
        for i, call in enumerate(CALLS):
            at = 100.0 + second
            recorder.request(call, at, at + 0.001, at + 0.0123 * (i + 1) + second / 1000, "")
        recorder.document("2016-09-01|province>district", 9, True, 100.0 + second)
        recorder.accepted("2016-09-01|province>district", 9, 100.5 + second, 2)
        recorder.count("acked", 100.9 + second, 2)
    recorder.count("deliveries", 220.0, backlog)
    recorder.gauges.update(exhausted=1.0, partitions=1.0, events=240.0)
    info = {
        "hub_url": "http://127.0.0.1:8123",
        "database_url": "sqlite:////tmp/run/hub.db",
        "params": {
            "profile": "ninh-binh",
            "seed": "1",
            "documents": 1000,
            "office": 4321.0,
            "off_hours": 43210.0,
            "start": None,
            "end": None,
            "attachment_cap": 32768,
            "signed": False,
        },
        "processes": 1,
        "transport": "keep-alive",
        "endpoint_prefix": "",
        "locust_workers": [{"partition": 0, "node": "local", "events": 240, "partitions": 1}],
        "elapsed_s": 121.7,
        "wall_planned_s": 120.0,
        "interrupted": False,
        "completed": True,
        "yardstick": [{"name": "RSA-2048 signatures", "value": 812.3, "unit": "/s"}],
    }
    report = build_report(merge([recorder.to_json()]), load_profile("ninh-binh"), info)
    report["thresholds"] = {"max_p99_ms": 500.0, "max_error_rate": None, "broken": []}
    return report


def test_a_clean_run_passes_and_a_backlog_fails_the_verdict() -> None:
    assert verdict(_report()).passed
    failed = verdict(_report(backlog=7))
    assert not failed.passed and failed.headline == "FAIL: the run did not end clean"
    assert "7 deliveries not acknowledged at the end (backlog)" in failed.findings


def test_figures_are_whole_milliseconds_and_counts() -> None:
    report = _report()
    rows = dict(summary_rows(report["summary"]))
    assert rows["documents accepted"] == "120" and rows["error rate"] == "0.00%"
    assert rows["documents per s"].count(".") == 1  # a rate, to one decimal
    html = render_html(report)
    table = html[html.index("<h2>Latency per call (ms)</h2>") :]
    cells = re.findall(r"<td>([\d,.]+)</td>", table[: table.index("</table>")])
    assert len(cells) == 4 * 8 and not any("." in cell for cell in cells)  # whole ms, counts
    params = dict(parameters(report))
    assert params["documents"] == "1,000 (scaled)"
    assert params["load generator"] == "1 Locust process(es) on this machine"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(render_html(_report(backlog=7)), encoding="utf-8")
    return path


def _look(page: Page, width: int, name: str) -> dict[str, Any]:
    page.set_viewport_size({"width": width, "height": 900})
    shot = Path(page.url.removeprefix("file://")).with_name(f"{name}.png")
    page.screenshot(path=str(shot), full_page=True)
    if SHOTS:
        shutil.copy(shot, Path(SHOTS) / shot.name)
    facts: dict[str, Any] = page.evaluate(
        """() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        first: document.querySelector('h1').nextElementSibling.id,
        verdict: document.getElementById('verdict').innerText,
        images: [...document.images].map(i => [i.alt, i.naturalWidth, i.clientWidth]),
        })"""
    )
    return facts


@pytest.mark.parametrize(("width", "name"), [(390, "phone"), (1280, "desktop")])
def test_the_page_reads_on_a_phone_and_a_desktop(page_file: Path, width: int, name: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(page_file.as_uri())
        facts = _look(page, width, name)
        browser.close()
    assert facts["overflow"] <= 0, f"the page is {facts['overflow']} px wider than the screen"
    assert facts["first"] == "verdict" and facts["verdict"].startswith("FAIL")
    assert len(facts["images"]) == 5
    for alt, natural, shown in facts["images"]:
        assert alt and natural > 0 and 0 < shown <= width


def test_the_page_prints(page_file: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(page_file.as_uri())
        pdf = page.pdf(format="A4")
        browser.close()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1


def test_master_and_workers_are_counted_as_such() -> None:
    report = _report()
    report["processes"] = 1  # a --master's own count
    report["locust_workers"] = [
        {"partition": k, "node": f"worker-{k}", "events": 10, "partitions": 3} for k in range(3)
    ]
    assert dict(parameters(report))["load generator"] == "Locust master with 3 worker(s)"
