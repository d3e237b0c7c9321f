"""The presenter view plays no agency: it shows the hub's panel and a chosen document's
timeline at every recipient, and follows what other tabs do."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.web.browsing import act_as, login, screenshot
from tests.web.test_workflow import compose_sign_send, timeline_shows

SENDER, FIRST, SECOND = "000.00.12.H37", "000.06.31.H37", "000.07.31.H37"
SUBJECT = "V/v trình chiếu tiến trình cho cả lớp"


def test_the_presenter_follows_a_document_whoever_acts(
    contexts: Callable[[], BrowserContext],
) -> None:
    sender = login(contexts())
    act_as(sender, SENDER, "clerk")
    compose_sign_send(sender, [FIRST, SECOND], SUBJECT)
    timeline_shows(sender, FIRST, "01")

    projector = login(contexts())
    projector.click("nav >> text=Trình chiếu")
    projector.select_option("[data-testid=present-doc]", label=None, index=0)
    expect(projector.locator("h2").first).to_contain_text(SUBJECT)
    expect(projector.locator("[data-testid=acting]")).to_have_count(0)
    expect(projector.locator("[data-testid=audit]")).to_be_visible()
    timeline_shows(projector, FIRST, "01")
    timeline_shows(projector, SECOND, "01")

    clerk = login(contexts())
    act_as(clerk, FIRST, "clerk")
    clerk.click(f"text={SUBJECT}")
    clerk.click("[data-testid=status-03]")
    timeline_shows(projector, FIRST, "03")  # no reload on the projector
    screenshot(projector, "presenter", full_page=False)
