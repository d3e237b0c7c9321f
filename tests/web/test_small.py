"""The small things a class notices: singulars in English, a page (not JSON) for an unknown
address in the browser while connectors still get the hub's envelope, a favicon, and text
contrast of at least 4.5:1 on every page."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from exchange.web.i18n import Translator
from tests.web.browsing import Demo, act_as, login, screenshot

CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const what = `${ratio.toFixed(2)} ${el.tagName}.${el.className}: ${el.textContent.trim()}`;
    if (ratio < 4.5) low.push(what.slice(0, 90));
  }
  return low;
}"""


def low_contrast(page: Page) -> list[str]:
    found: list[str] = page.evaluate(CONTRAST)
    return found


def test_english_counts_one_agency_in_the_singular() -> None:
    t = Translator("en")
    assert t("doc.recipient_count", count=1) == "1 agency"
    assert t("doc.recipient_count", count=2) == "2 agencies"
    assert t("home.children", count=1) == "1 agency below"


def test_an_unknown_address_is_a_page_in_the_browser(context: BrowserContext) -> None:
    page = login(context)
    answer = page.goto("/khong-co-trang-nay")
    assert answer is not None and answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    expect(page.locator("main")).to_contain_text("Không có trang này")
    expect(page.locator("nav.tabs")).to_be_visible()
    screenshot(page, "unknown-address", full_page=False)


def test_a_connector_still_gets_the_hubs_envelope(demo: Demo) -> None:
    answer = httpx.get(f"{demo.base}/khong-co-trang-nay")
    assert answer.status_code == 404
    assert answer.json()["ErrorCode"] == "unknown_call"


def test_the_favicon_is_served(demo: Demo) -> None:
    answer = httpx.get(f"{demo.base}/favicon.ico")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")


PAGES = {  # tab: its screenshot
    "Soạn thảo": "page-compose",
    "Văn bản đến": "page-inbox",
    "Văn bản đi": "page-outbox",
    "Bài học": "page-lessons",
    "Trục liên thông": "page-hub",
    "Trình chiếu": "page-presenter",
    "Kết nối": "page-connect",
    "Lớp học": "page-class",
}


def test_every_text_has_contrast_of_at_least_4_5(context: BrowserContext) -> None:
    start = context.new_page()
    start.goto("/login")
    screenshot(start, "page-login", full_page=False)
    page = login(context)
    screenshot(page, "page-home", full_page=False)
    problems = {"home": low_contrast(page)}
    act_as(page, "000.00.02.H37", "clerk")
    for tab, name in PAGES.items():
        page.click(f"nav >> text={tab}")
        problems[tab] = low_contrast(page)
        screenshot(page, name, full_page=False)
    assert {k: v for k, v in problems.items() if v} == {}


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden" && !(el.labels && el.labels.length) && !el.ariaLabel)
  .map((el) => el.outerHTML.slice(0, 80))"""


def test_every_field_has_a_label_and_the_focus_shows(context: BrowserContext) -> None:
    page = login(context)
    unlabelled = {"home": page.evaluate(UNLABELLED)}
    act_as(page, "000.00.02.H37", "clerk")
    for tab in ("Soạn thảo", "Bài học", "Trục liên thông", "Lớp học"):
        page.click(f"nav >> text={tab}")
        unlabelled[tab] = page.evaluate(UNLABELLED)
    assert {k: v for k, v in unlabelled.items() if v} == {}
    page.keyboard.press("Tab")  # the first link of the page, by keyboard
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
