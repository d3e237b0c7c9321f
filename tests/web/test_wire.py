"""The wire view of a sent document: the sender's sendEdoc with its headers, the signed
sign-header and its HMAC (recomputed here with the system's secret), each recipient's getEdoc
with the hub's TraceHeader in the edXML delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.web.browsing import Demo, act_as, login, screenshot
from tests.web.test_workflow import compose_sign_send, timeline_shows

SENDER, TO = "000.00.13.H37", "000.05.31.H37"


def _secret(demo: Demo, system_id: str) -> str:
    credentials = json.loads((demo.data / "credentials" / "ninh-binh-2019.json").read_text())
    return next(s["secret"] for s in credentials["systems"] if s["systemId"] == system_id)


def test_the_wire_shows_a_sign_header_whose_hmac_holds(
    demo: Demo, contexts: Callable[[], BrowserContext]
) -> None:
    page = login(contexts())
    act_as(page, SENDER, "clerk")
    compose_sign_send(page, [TO], "V/v xem văn bản trên đường truyền")
    timeline_shows(page, TO, "01")
    page.click("[data-testid=open-wire]")
    send = page.locator('.exchange[data-call="sendEdoc"]').first
    expect(send).to_contain_text("HTTP 201 OK")
    system = send.get_attribute("data-system")
    assert system is not None
    sign_header = send.locator("[data-testid=sign-header]").inner_text()
    hash_header = send.locator("[data-testid=hash-header]").inner_text()
    expected = hmac.new(
        _secret(demo, system).encode(), sign_header.encode(), hashlib.sha256
    ).hexdigest()
    assert hash_header == expected
    assert json.loads(sign_header)  # the signed parameters, compact JSON
    delivered = page.locator('.exchange[data-call="getEdoc"]').first
    delivered.locator("summary", has_text="edXML").click()
    expect(delivered.locator("[data-testid=hub-trace]")).to_contain_text("000.00.00.VXP")
    expect(page.locator('.exchange[data-call="updateStatus"]').first).to_be_attached()
    screenshot(page, "wire", full_page=False)
