"""Lessons the class decides: one click delivers a flawed document into a recipient's inbox,
a trainee (as its clerk) registers or returns it, the page explains, and the sender sees the
trainee's answer. Lessons number in their own series and never touch the real register."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.web.browsing import Demo, act_as, login, screenshot
from tests.web.test_small import low_contrast

LESSON_SECONDS = 60  # generous: a test never depends on speed; the README gives the figure


def _run(page: Page, lesson: str, recipient: str) -> float:
    page.click("nav >> text=Bài học")
    page.select_option("[data-testid=lesson-recipient]", recipient)
    started = time.monotonic()
    page.click(f"[data-testid=lesson-{lesson}]")
    page.wait_for_selector("[data-testid=lesson-report]")
    return time.monotonic() - started


def _open_recipient(page: Page) -> Page:
    with page.context.expect_page() as opened:
        page.click("[data-testid=lesson-open-recipient]")
    return opened.value


def test_the_trainees_return_is_what_the_sender_sees(context: BrowserContext) -> None:
    sender = login(context)
    act_as(sender, "000.00.05.H37", "clerk")  # Sở Tài chính
    took = _run(sender, "tamper", "000.02.31.H37")
    report = sender.locator("[data-testid=lesson-report]")
    expect(report).to_contain_text("chờ văn thư nơi nhận")
    expect(sender.locator("[data-testid=doc-number]")).to_contain_text("-BH")
    screenshot(sender, "lesson-tamper-sent", full_page=False)

    clerk = _open_recipient(sender)
    expect(clerk.locator("[data-testid=lesson-ask]")).to_contain_text("quyết định")
    expect(clerk.locator("[data-testid=verdict]")).to_contain_text("KHÔNG HỢP LỆ")
    expect(clerk.locator("[data-testid=reason]")).to_have_value("")  # the trainee writes it
    screenshot(clerk, "lesson-tamper-decide", full_page=False)
    clerk.fill("[data-testid=reason]", "Tệp PDF bị sửa sau khi ký, đề nghị gửi lại.")
    clerk.click("[data-testid=status-02]")
    expect(clerk.locator("[data-testid=lesson-outcome]")).to_contain_text("Đúng")
    screenshot(clerk, "lesson-tamper-explained", full_page=False)

    timeline = sender.locator("[data-testid=timeline]")
    why = timeline.locator('.event[data-code="02"] .why')
    expect(why).to_contain_text("Tệp PDF bị sửa sau khi ký, đề nghị gửi lại.", timeout=20_000)
    sender.reload()
    expect(report).to_contain_text("đã trả lời 02")
    sender.click("nav >> text=Văn bản đi")
    expect(sender.locator(".badge.lesson")).to_have_count(1)
    assert low_contrast(sender) == []
    assert took < LESSON_SECONDS


def test_a_trainee_who_registers_an_invalid_document_is_told_why(context: BrowserContext) -> None:
    sender = login(context)
    act_as(sender, "000.00.06.H37", "clerk")
    _run(sender, "revoked", "000.03.31.H37")
    clerk = _open_recipient(sender)
    expect(clerk.locator("[data-testid=verdict]")).to_contain_text("chứng thư số đã bị thu hồi")
    clerk.click("[data-testid=status-03]")
    outcome = clerk.locator("[data-testid=lesson-outcome]")
    expect(outcome).to_contain_text("Chưa đúng")
    expect(clerk.locator("[data-testid=lesson-ask]")).to_contain_text("danh sách thu hồi")
    expect(sender.locator('[data-testid=timeline] .event[data-code="03"]')).to_be_visible(
        timeout=20_000
    )
    screenshot(clerk, "lesson-revoked-explained", full_page=False)


@pytest.mark.parametrize("lesson", ["expired", "tamper"])
def test_lessons_never_take_a_number_of_the_register(context: BrowserContext, lesson: str) -> None:
    page = login(context)
    agency = "000.00.22.H37"
    act_as(page, agency, "clerk")
    page.click("nav >> text=Soạn thảo")
    before = page.locator("[name=number_shown]").input_value()
    _run(page, lesson, "000.04.31.H37")
    page.click("nav >> text=Soạn thảo")
    assert page.locator("[name=number_shown]").input_value() == before


def test_the_secret_lesson_is_refused_by_the_hub(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, "000.00.08.H37", "clerk")
    took = _run(page, "secret", "000.00.00.H37")
    refusal = page.locator("[data-testid=refusal]")
    expect(refusal.locator("[data-testid=refusal-words]")).to_contain_text("28/2018/QĐ-TTg")
    expect(refusal.locator("[data-testid=refusal-words]")).not_to_contain_text("document_secret")
    expect(page.locator("[data-testid=lesson-report]")).to_contain_text("không nhận được gì")
    expect(page.locator("[data-testid=timeline]")).to_have_count(0)
    expect(page.locator("[data-testid=stages] li.current")).to_contain_text("Bị Trục từ chối")
    expect(page.locator("[data-testid=doc-number]")).to_contain_text("01/SGTVT-VP-BH")
    screenshot(page, "lesson-secret", full_page=False)
    assert took < LESSON_SECONDS


@pytest.mark.parametrize(
    ("lesson", "shown"),
    [
        ("replay", "yêu cầu phát lại được chấp nhận"),  # the demo runs the national profile
        ("out_of_order", "Trục từ chối gói trạng thái 06, mã status_transition_not_allowed"),
        ("other_system", "không nhận được gì"),
    ],
)
def test_the_protocol_lessons_show_what_the_hub_does(
    context: BrowserContext, lesson: str, shown: str
) -> None:
    page = login(context)
    act_as(page, "000.00.03.H37", "clerk")
    _run(page, lesson, "000.09.31.H37")
    report = page.locator("[data-testid=lesson-report]")
    expect(report).to_contain_text(shown)
    if lesson == "other_system":
        expect(page.locator("[data-testid=refusal-words]")).to_contain_text("không quản lý")
    screenshot(page, f"lesson-{lesson}", full_page=False)


def test_a_strict_hub_refuses_the_replay(browser: Browser, strict_demo: Demo) -> None:
    context = browser.new_context(
        base_url=strict_demo.base, viewport={"width": 1280, "height": 720}
    )
    context.set_default_timeout(15_000)
    try:
        page = login(context)
        act_as(page, "000.00.03.H37", "clerk")
        _run(page, "replay", "000.09.31.H37")
        expect(page.locator("[data-testid=lesson-result]")).to_contain_text(
            "bị từ chối, mã auth_nonce_replayed (hồ sơ xác thực «strict»)"
        )
        screenshot(page, "lesson-replay-strict", full_page=False)
    finally:
        context.close()
