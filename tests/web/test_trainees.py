"""Trainee accounts: the trainer makes them and sees everyone's lesson results; a trainee sees
only their own, and not the trainer's pages (accounts, systems' secrets, a new class)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.web.browsing import act_as, login, screenshot
from tests.web.test_lessons import _open_recipient, _run


def _make(trainer: Page, name: str) -> str:
    trainer.goto("/class")
    trainer.fill("[data-testid=trainee-name]", name)
    trainer.click("[data-testid=add-trainee]")
    expect(trainer.locator("[data-testid=made]")).to_contain_text(name)
    return trainer.locator("[data-testid=made-password]").inner_text()


def _login_as(context: BrowserContext, name: str, password: str) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=user]", name)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url("**/")
    return page


def test_a_trainee_sees_only_their_own_progress(contexts: Callable[[], BrowserContext]) -> None:
    trainer = login(contexts())
    suffix = uuid.uuid4().hex[:6]
    an, binh = f"an-{suffix}", f"binh-{suffix}"
    an_password, binh_password = _make(trainer, an), _make(trainer, binh)

    student = _login_as(contexts(), an, an_password)
    act_as(student, "000.00.10.H37", "clerk")
    _run(student, "expired", "000.08.31.H37")
    clerk = _open_recipient(student)
    clerk.fill("[data-testid=reason]", "Chứng thư hết hạn.")
    clerk.click("[data-testid=status-02]")
    expect(clerk.locator("[data-testid=lesson-outcome]")).to_contain_text("Đúng")
    clerk.click("nav >> text=Kết quả của tôi")
    expect(clerk.locator("[data-testid=own-progress]")).to_contain_text("hết hạn")
    expect(clerk.locator("[data-testid=own-progress]")).to_contain_text("đúng")
    screenshot(clerk, "trainee-progress", full_page=False)

    other = _login_as(contexts(), binh, binh_password)
    other.click("nav >> text=Kết quả của tôi")
    expect(other.locator("[data-testid=own-progress]")).to_contain_text("Chưa có bài học")
    for path in ("/class", "/connect"):
        answer = other.goto(path)
        assert answer is not None and answer.status == 403
    expect(other.locator("nav.tabs")).not_to_contain_text("Kết nối")

    trainer.goto("/class")
    rows = trainer.locator("[data-testid=class-progress]")
    expect(rows.locator(f'tr[data-trainee="{an}"]')).to_contain_text("1")
    expect(rows.locator(f'tr[data-trainee="{an}"]')).to_contain_text("✔")
    expect(rows.locator(f'tr[data-trainee="{binh}"] td').nth(1)).to_have_text("0")
    screenshot(trainer, "class", full_page=False)
