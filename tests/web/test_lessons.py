"""Each lesson on failure is one click and takes seconds: the page shows what the hub did and
what the receiver concluded, and why."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.browsing import act_as, login, screenshot

LESSON_SECONDS = 60  # the bar: shown in under a minute


def _run(page: Page, lesson: str) -> float:
    page.click("nav >> text=Bài học")
    started = time.monotonic()
    page.click(f"[data-testid=lesson-{lesson}]")
    page.wait_for_selector("[data-testid=lesson-report]")
    return time.monotonic() - started


def test_the_tamper_lesson_shows_an_invalid_signature_and_why(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, "000.00.05.H37", "clerk")  # Sở Tài chính
    took = _run(page, "tamper")
    report = page.locator("[data-testid=lesson-report]")
    expect(report.locator("[data-testid=lesson-verdict]")).to_contain_text("KHÔNG HỢP LỆ")
    expect(report).to_contain_text("tampered")
    expect(report).to_contain_text("văn bản đã bị sửa sau khi ký")
    expect(report).to_contain_text("02")
    timeline = page.locator("[data-testid=timeline]")
    expect(timeline.locator('.event[data-code="02"]')).to_be_visible()
    why = timeline.locator('.event[data-code="02"] .why')
    expect(why).to_contain_text("văn bản đã bị sửa sau khi ký. Đề nghị quý cơ quan gửi lại")
    expect(why).not_to_contain_text("tampered")
    screenshot(page, "lesson-tamper")
    assert took < LESSON_SECONDS


@pytest.mark.parametrize(
    ("lesson", "agency", "problem", "words"),
    [
        ("revoked", "000.00.06.H37", "revoked", "chứng thư số đã bị thu hồi"),
        ("expired", "000.00.07.H37", "expired", "chứng thư số đã hết hạn"),
    ],
)
def test_the_certificate_lessons_are_returned_by_the_receiver(
    context: BrowserContext, lesson: str, agency: str, problem: str, words: str
) -> None:
    page = login(context)
    act_as(page, agency, "clerk")
    took = _run(page, lesson)
    report = page.locator("[data-testid=lesson-report]")
    expect(report.locator("[data-testid=lesson-verdict]")).to_contain_text(problem)
    expect(report).to_contain_text(words)
    expect(page.locator('[data-testid=timeline] .event[data-code="02"]')).to_be_visible()
    screenshot(page, f"lesson-{lesson}")
    assert took < LESSON_SECONDS


def test_the_secret_lesson_is_refused_by_the_hub(context: BrowserContext) -> None:
    page = login(context)
    act_as(page, "000.00.08.H37", "clerk")
    took = _run(page, "secret")
    refusal = page.locator("[data-testid=refusal]")
    expect(refusal.locator("[data-testid=refusal-words]")).to_contain_text("28/2018/QĐ-TTg")
    expect(refusal.locator("[data-testid=refusal-words]")).not_to_contain_text("document_secret")
    expect(page.locator("[data-testid=lesson-report]")).to_contain_text("không nhận được gì")
    expect(page.locator("[data-testid=timeline]")).to_have_count(0)
    expect(page.locator("[data-testid=stages] li.current")).to_contain_text("Bị Trục từ chối")
    screenshot(page, "lesson-secret")
    assert took < LESSON_SECONDS
