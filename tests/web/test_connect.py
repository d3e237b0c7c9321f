"""Connect your own system: the page gives the endpoint, a system id and its secret; handed
over, the system is the trainee's: a real connector with those settings receives what is sent
to its agencies, and the workbench no longer fetches it. Taken back, the workbench plays it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, expect

from exchange.protocol.client import HubClient
from exchange.protocol.connector import Connector
from tests.web.browsing import act_as, login, screenshot
from tests.web.test_workflow import compose_sign_send

SYSTEM, AGENCY = "ninh-binh-huyen-kim-son", "000.00.37.H37"  # UBND Huyện Kim Sơn
SUBJECT = "V/v gửi tới hệ thống của học viên"


def test_a_trainees_own_connector_takes_over_a_system(
    contexts: Callable[[], BrowserContext],
) -> None:
    page = login(contexts())
    page.click("nav >> text=Kết nối")
    page.click(f"[data-testid=system-{SYSTEM}]")
    settings = page.locator("[data-testid=connect-settings]")
    endpoint = settings.locator("[data-testid=endpoint]").inner_text()
    system_id = settings.locator("[data-testid=system-id]").inner_text()
    secret = settings.locator("[data-testid=secret]").inner_text()
    assert system_id == SYSTEM
    page.click("[data-testid=hand-over]")
    expect(page.locator("[data-testid=handed]")).to_be_visible()
    screenshot(page, "connect", full_page=False)
    try:
        sender = login(contexts())
        act_as(sender, "000.00.14.H37", "clerk")
        compose_sign_send(sender, [AGENCY], SUBJECT)
        with httpx.Client(base_url=endpoint, timeout=30) as http:
            hub = HubClient(http, Connector(system_id, secret))
            waiting = hub.get_received_edoc_list("edoc").raise_if_refused().data
            assert [row["to"] for row in waiting] == [AGENCY]
            edxml = hub.get_edoc(str(waiting[0]["docId"])).raise_if_refused().edxml
            assert SUBJECT.encode() in edxml
        desk = login(contexts())
        act_as(desk, AGENCY, "clerk")
        expect(desk.locator("main")).not_to_contain_text(SUBJECT)  # the workbench left it
    finally:
        page.click("[data-testid=take-back]")
        expect(page.locator("[data-testid=hand-over]")).to_be_visible()
