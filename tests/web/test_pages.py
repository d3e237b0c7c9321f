"""The language switch, the recall, and the hub's live panel, in the browser."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from tests.web.browsing import act_as, login, screenshot, switch_role
from tests.web.test_small import low_contrast
from tests.web.test_workflow import compose_sign_send, timeline_shows


def test_the_english_switch_translates_the_pages_and_back(context: BrowserContext) -> None:
    page = login(context)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("nav.tabs")).to_contain_text("Chọn cơ quan")
    page.click("button.lang[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Pick an agency to play")
    act_as(page, "000.00.09.H37", "clerk")
    expect(page.locator("nav.tabs")).to_contain_text("Inbox")
    expect(page.locator("nav.tabs")).to_contain_text("Outbox")
    expect(page.locator("[data-testid=acting]")).to_contain_text("Sở Xây dựng tỉnh Ninh Bình")
    page.click("nav >> text=Lessons")
    expect(page.locator("h1")).to_have_text("Lessons on failure")
    screenshot(page, "english")
    page.click("button.lang[value=vi]")
    expect(page.locator("h1")).to_have_text("Bài học về sự cố")


def test_a_recall_is_asked_and_agreed(contexts: Callable[[], BrowserContext]) -> None:
    sender = login(contexts())
    act_as(sender, "000.00.10.H37", "clerk")
    recipient_code = "000.00.33.H37"
    compose_sign_send(sender, [recipient_code], "V/v thu hồi văn bản gửi nhầm")
    timeline_shows(sender, recipient_code, "01")
    sender.click("[data-testid=action-recall]")
    expect(sender.locator("[data-testid=confirm-text]")).to_contain_text("tới nơi nhận?")
    screenshot(sender, "recall-confirm", full_page=False)
    sender.click("[data-testid=confirm-recall]")
    timeline_shows(sender, recipient_code, "13")

    recipient = login(contexts())
    act_as(recipient, recipient_code, "clerk")
    recipient.click("nav >> text=Văn bản đến")
    recipient.click("text=V/v thu hồi văn bản gửi nhầm")
    recipient.click("[data-testid=status-15]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("15")
    for code in ("02", "03", "05", "06", "15", "16"):  # agreed: the document moves no further
        expect(recipient.locator(f"[data-testid=status-{code}]")).to_have_count(0)
    expect(recipient.locator("[data-testid=actions]")).to_contain_text("Đã đồng ý thu hồi")
    timeline_shows(sender, recipient_code, "15")
    assert low_contrast(sender) == []  # the 13 and 15 badges included
    screenshot(sender, "recall")


def test_a_finished_document_can_only_refuse_a_recall(
    contexts: Callable[[], BrowserContext],
) -> None:
    sender = login(contexts())
    act_as(sender, "000.00.07.H37", "clerk")
    recipient_code = "000.16.38.H37"
    compose_sign_send(sender, [recipient_code], "V/v thu hồi văn bản đã hoàn thành")
    recipient = login(contexts())
    act_as(recipient, recipient_code, "clerk")
    recipient.click("text=V/v thu hồi văn bản đã hoàn thành")
    recipient.click("[data-testid=status-03]")
    recipient.click("[data-testid=status-06]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("06")
    sender.click("[data-testid=action-recall]")
    sender.click("[data-testid=confirm-recall]")
    timeline_shows(sender, recipient_code, "13")
    expect(recipient.locator("[data-testid=status-16]")).to_be_visible(timeout=20_000)
    expect(recipient.locator("[data-testid=status-15]")).to_have_count(0)
    screenshot(recipient, "recall-after-finish", full_page=False)


def test_the_leader_assigns_and_the_clerk_cannot(contexts: Callable[[], BrowserContext]) -> None:
    sender = login(contexts())
    act_as(sender, "000.00.11.H37", "clerk")
    recipient_code = "000.00.34.H37"
    compose_sign_send(sender, [recipient_code], "V/v phân công xử lý")
    recipient = login(contexts())
    act_as(recipient, recipient_code, "clerk")
    recipient.click("nav >> text=Văn bản đến")
    recipient.click("text=V/v phân công xử lý")
    recipient.click("[data-testid=status-03]")
    expect(recipient.locator("[data-testid=status-04]")).to_have_count(0)
    switch_role(recipient, "leader")
    recipient.click("[data-testid=status-04]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("04")
    timeline_shows(sender, recipient_code, "04")
    screenshot(recipient, "leader-assigns")


def test_a_whole_tier_receives_a_directive(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, "000.00.15.H37", "clerk")  # Sở Giáo dục và Đào tạo
    page.click("nav >> text=Soạn thảo")
    page.select_option("select[name=template]", "ke-hoach")
    page.select_option("[data-testid=whole-tier]", "commune")
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    expect(page.locator("[data-testid=doc-number]")).to_contain_text("KH-SGDĐT")
    expect(page.locator("dl")).to_contain_text("145")
    switch_role(page, "leader")
    page.click("[data-testid=action-sign-person]")
    switch_role(page, "clerk")
    page.click("[data-testid=action-sign-organisation]")
    page.click("[data-testid=action-send]")
    summary = page.locator("[data-testid=timeline-summary]")
    expect(summary).to_contain_text("145 nơi nhận")
    expect(summary).to_contain_text("01 Đã đến: 145", timeout=60_000)
    groups = page.locator("[data-testid=timeline] details.group")
    expect(groups).to_have_count(8)  # the 145 communes by district
    page.fill("[data-testid=timeline-filter]", "Yen Mo")
    expect(page.locator("[data-testid=timeline] details.group:visible")).to_have_count(1)
    # a filter opens the groups that match
    expect(page.locator(".timeline-row:visible")).to_have_count(17)
    screenshot(page, "whole-tier", full_page=False)
    page.click("nav >> text=Văn bản đi")
    expect(page.locator("[data-testid=outbox] tr", has_text="KH-SGDĐT")).to_contain_text(
        "01 Đã đến: 145", timeout=20_000
    )
    screenshot(page, "outbox", full_page=False)


def test_the_hub_panel_shows_todays_traffic_and_the_audit_chain(context: BrowserContext) -> None:
    page = login(context)
    page.click("nav >> text=Trục liên thông")
    expect(page.locator("[data-testid=audit]")).to_contain_text("toàn vẹn")
    expect(page.locator("table.figures")).to_contain_text("Cấp tỉnh")
    expect(page.locator(".source")).to_contain_text("85%")
    screenshot(page, "hub-panel")
