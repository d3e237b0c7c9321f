"""Every tab is its own desk: the agency and the role are in the address, never in the
session, so two tabs of one browser play two agencies at once and a forgotten tab can only
act on its own agency's documents."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.browsing import act_as, desk, login, screenshot
from tests.web.test_workflow import compose_sign_send, timeline_shows

HEALTH, FOREIGN = "000.00.16.H37", "000.00.18.H37"  # Sở Y tế, Sở Ngoại vụ
TO = "000.00.37.H37"


def _draft(page: Page, agency: str, subject: str) -> str:
    act_as(page, agency, "clerk")
    page.click("nav >> text=Soạn thảo")
    page.fill("input[name=subject]", subject)
    page.check(f'[data-testid="to-{TO}"]')
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    return page.url.rsplit("/out/", 1)[1]


def test_two_tabs_play_two_agencies_and_never_mix(context: BrowserContext) -> None:
    health = login(context)
    health_id = _draft(health, HEALTH, "V/v tab của Sở Y tế")
    foreign = context.new_page()  # the same browser, the same session
    foreign_id = _draft(foreign, FOREIGN, "V/v tab của Sở Ngoại vụ")
    assert health_id == foreign_id  # each agency's first document: the same number in its book

    health.goto(f"{desk(HEALTH, 'leader')}/out/{health_id}")
    foreign.goto(f"{desk(FOREIGN, 'leader')}/out/{foreign_id}")
    health.click("[data-testid=action-sign-person]")  # the older tab acts after the newer opened
    expect(health.locator(".flash.ok")).to_contain_text("Lãnh đạo đã ký")
    expect(health.locator("h1")).to_contain_text("Sở Y tế")
    expect(health.locator("[data-testid=acting]")).to_contain_text("Sở Y tế")

    foreign.reload()
    expect(foreign.locator("h1")).to_contain_text("Sở Ngoại vụ")
    expect(foreign.locator("[data-testid=action-sign-person]")).to_be_visible()  # not signed
    expect(foreign.locator(".flash")).to_have_count(0)  # the other tab's message stays there
    screenshot(health, "tabs-health")
    screenshot(foreign, "tabs-foreign")


def test_a_tab_keeps_its_agency_after_another_tab_picks_one(context: BrowserContext) -> None:
    first = login(context)
    act_as(first, HEALTH, "clerk")
    second = context.new_page()
    act_as(second, FOREIGN, "leader")
    first.click("nav >> text=Văn bản đi")
    expect(first.locator("[data-testid=acting]")).to_contain_text("Sở Y tế")
    expect(first.locator(".acting a.role.on")).to_have_text("Văn thư")
    assert f"{desk(HEALTH)}/outbox" in first.url


def test_the_senders_timeline_follows_a_recipient_played_in_another_tab(
    context: BrowserContext,
) -> None:
    """The projector setup: the sender's page stays up, the trainer plays the recipient in a
    second tab of the same browser; the sender's timeline keeps updating."""
    sender = login(context)
    act_as(sender, "000.00.19.H37", "clerk")
    compose_sign_send(sender, ["000.00.38.H37"], "V/v theo dõi tiến trình trên máy chiếu")
    timeline_shows(sender, "000.00.38.H37", "01")
    row = sender.locator('.timeline-row[data-recipient="000.00.38.H37"] .event')
    assert row.evaluate_all("els => els.map(e => e.dataset.code)")[:3] == ["sent", "fetched", "01"]
    recipient = context.new_page()
    act_as(recipient, "000.00.38.H37", "clerk")
    recipient.click("text=V/v theo dõi tiến trình trên máy chiếu")
    recipient.click("[data-testid=status-03]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("03")
    timeline_shows(sender, "000.00.38.H37", "03")
    expect(sender.locator("[data-testid=timeline]")).not_to_have_attribute("data-stale", "")
    screenshot(sender, "tabs-sender-timeline", full_page=False)
