"""Drafting forgives mistakes: a refused form keeps what was typed, a past due date is refused,
a draft can be corrected (same number, new PDF) or cancelled before the leader signs."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import BrowserContext, expect

from tests.web.browsing import act_as, login, screenshot

AGENCY, TO = "000.00.09.H37", "000.00.35.H37"  # Sở Xây dựng, UBND Huyện Hoa Lư
BODY = "Đề nghị các đơn vị rà soát danh mục công trình trước ngày 15."


def test_a_refused_form_keeps_what_was_typed(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, AGENCY, "clerk")
    page.click("nav >> text=Soạn thảo")
    page.select_option("select[name=template]", "thong-bao")
    page.fill("input[name=subject]", "V/v rà soát công trình xây dựng")
    page.fill("textarea[name=body]", BODY)
    page.check(f'[data-testid="to-{TO}"]')
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    page.evaluate("document.querySelector('[name=due_date]').removeAttribute('min')")
    page.fill("input[name=due_date]", yesterday)
    page.click("[data-testid=compose-submit]")
    expect(page.locator("[data-testid=compose-error]")).to_contain_text("Hạn xử lý đã qua")
    expect(page.locator("input[name=subject]")).to_have_value("V/v rà soát công trình xây dựng")
    expect(page.locator("textarea[name=body]")).to_have_value(BODY)
    expect(page.locator("select[name=template]")).to_have_value("thong-bao")
    expect(page.locator(f'[data-testid="to-{TO}"]')).to_be_checked()
    screenshot(page, "compose-refused-kept", full_page=False)
    page.fill("input[name=due_date]", (date.today() + timedelta(days=7)).isoformat())
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    expect(page.locator("h1")).to_contain_text("V/v rà soát công trình xây dựng")


def test_a_draft_is_corrected_with_its_number_or_cancelled(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, AGENCY, "clerk")
    page.click("nav >> text=Soạn thảo")
    page.fill("input[name=subject]", "V/v có lỗi chính tả")
    page.check(f'[data-testid="to-{TO}"]')
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    number = page.locator("[data-testid=doc-number]").inner_text()
    page.click("[data-testid=action-edit]")
    page.fill("input[name=subject]", "V/v đã sửa lỗi chính tả")
    screenshot(page, "compose-edit", full_page=False)
    page.click("[data-testid=compose-submit]")
    expect(page.locator(".flash.ok")).to_contain_text("Đã sửa dự thảo")
    expect(page.locator("h1")).to_contain_text("V/v đã sửa lỗi chính tả")
    assert page.locator("[data-testid=doc-number]").inner_text() == number
    page.click("[data-testid=action-cancel]")
    expect(page.locator("[data-testid=stages] li.current")).to_contain_text("Đã hủy")
    expect(page.locator("[data-testid=action-edit]")).to_have_count(0)
    expect(page.locator("[data-testid=hint]")).to_have_count(0)
    screenshot(page, "draft-cancelled", full_page=False)
