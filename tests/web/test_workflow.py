"""The whole signed workflow in a real browser: one agency drafts, its leader and its clerk
sign, it goes to two agencies; one registers and finishes it; the sender's timeline shows
both recipients, updated without a reload."""

from __future__ import annotations

import io
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.web.browsing import act_as, login, screenshot, switch_role

SENDER = "000.00.02.H37"  # Sở Nội vụ tỉnh Ninh Bình
FIRST, SECOND = "000.00.31.H37", "000.00.32.H37"  # UBND TP Ninh Bình, UBND TP Tam Điệp
SUBJECT = "V/v tập huấn văn thư: gửi, nhận văn bản điện tử có ký số"


def compose_sign_send(page: Page, recipients: list[str], subject: str) -> str:
    """As the sender's clerk: draft, then the leader's signature, the organisation's, send.
    Returns the document page's path."""
    page.click("nav >> text=Soạn thảo")
    page.fill("input[name=subject]", subject)
    for code in recipients:
        page.check(f'[data-testid="to-{code}"]')
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    path = page.url.split("//", 1)[1].split("/", 1)[1]
    expect(page.locator("[data-testid=hint]")).to_contain_text("lãnh đạo")
    switch_role(page, "leader")
    page.click("[data-testid=action-sign-person]")
    expect(page.locator(".flash.ok")).to_contain_text("Lãnh đạo đã ký")
    switch_role(page, "clerk")
    page.click("[data-testid=action-sign-organisation]")
    page.click("[data-testid=action-send]")
    expect(page.locator(".flash.ok")).to_contain_text("Đã gửi qua Trục")
    return "/" + path


def timeline_shows(page: Page, code: str, status: str) -> None:
    row = page.locator(f'.timeline-row[data-recipient="{code}"]')
    expect(row.locator(f'.event[data-code="{status}"]')).to_be_visible(timeout=20_000)


def test_a_signed_document_to_two_agencies_registered_and_finished(
    contexts: Callable[[], BrowserContext],
) -> None:
    sender = login(contexts())
    act_as(sender, SENDER, "clerk")
    document = compose_sign_send(sender, [FIRST, SECOND], SUBJECT)
    timeline_shows(sender, FIRST, "01")
    timeline_shows(sender, SECOND, "01")

    recipient = login(contexts())  # another desk, another session
    act_as(recipient, FIRST, "clerk")
    recipient.click("nav >> text=Văn bản đến")
    row = recipient.locator("[data-testid=inbox] tr", has_text=SUBJECT)
    expect(row).to_contain_text("✔ HỢP LỆ")
    expect(row).to_contain_text("01 Đã đến")
    screenshot(recipient, "workflow-recipient-inbox")
    recipient.click(f"text={SUBJECT}")
    expect(recipient.locator("[data-testid=verdict]")).to_contain_text("HỢP LỆ")
    panel = recipient.locator("[data-testid=signature-panel]")
    expect(panel).to_contain_text("CA phục vụ các cơ quan Nhà nước")
    expect(panel.locator("article.sig")).to_have_count(2)
    screenshot(recipient, "workflow-recipient-signatures")
    recipient.click("[data-testid=status-03]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("03")
    recipient.click("[data-testid=status-06]")
    expect(recipient.locator("[data-testid=incoming-status]")).to_contain_text("06")

    # The sender's page was never reloaded: the timeline polls.
    timeline_shows(sender, FIRST, "03")
    timeline_shows(sender, FIRST, "06")
    timeline_shows(sender, SECOND, "01")
    assert sender.url.endswith(document)
    screenshot(sender, "workflow-sender-timeline")


def test_the_pdf_opens_with_vietnamese_text(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, "000.00.03.H37", "clerk")
    page.click("nav >> text=Soạn thảo")
    page.check(f'[data-testid="to-{FIRST}"]')
    page.click("[data-testid=compose-submit]")
    page.wait_for_url("**/out/*")
    href = page.get_attribute("[data-testid=open-pdf]", "href")
    assert href is not None
    response = context.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Ủy ban nhân dân Tỉnh Ninh Bình".upper() in text
    screenshot(page, "workflow-draft")
