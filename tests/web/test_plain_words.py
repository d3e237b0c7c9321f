"""Every refusal and verdict in plain words naming what the clerk should do: never a raw
code of the hub's, never a certificate's name or a developer's sentence."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.browsing import act_as, login, screenshot
from tests.web.test_workflow import compose_sign_send, timeline_shows

RAW = re.compile(r"[a-z]+_[a-z_]+|CN=|Trục từ chối:")  # snake_case codes, DN dumps


def assert_plain(page: Page, selector: str) -> str:
    text = page.locator(selector).inner_text()
    assert not RAW.search(text), text
    return text


def test_a_stale_answer_is_refused_in_plain_words(contexts: Callable[[], BrowserContext]) -> None:
    sender = login(contexts())
    act_as(sender, "000.00.08.H37", "clerk")
    recipient_code = "000.01.31.H37"
    subject = "V/v trả lời hai lần từ hai thẻ"
    compose_sign_send(sender, [recipient_code], subject)
    timeline_shows(sender, recipient_code, "01")
    desk = login(contexts())
    act_as(desk, recipient_code, "clerk")
    desk.click(f"text={subject}")
    stale = desk.context.new_page()
    stale.goto(desk.url)
    stale.fill("[data-testid=reason]", "Gửi nhầm nơi nhận.")  # typing: the region holds still
    desk.click("[data-testid=status-03]")
    expect(desk.locator("[data-testid=incoming-status]")).to_contain_text("03")
    stale.click("[data-testid=status-02]")
    message = assert_plain(stale, ".flash.error")
    assert "Tải lại trang" in message
    screenshot(stale, "plain-stale-answer", full_page=False)


def test_english_refusals_are_english_too(contexts: Callable[[], BrowserContext]) -> None:
    page = login(contexts())
    page.click("button.lang[value=en]")
    act_as(page, "000.00.08.H37", "clerk")
    page.click("nav >> text=Compose")
    page.click("[data-testid=compose-submit]")  # no recipient
    text = assert_plain(page, ".flash.error")
    assert "Choose at least one recipient" in text
