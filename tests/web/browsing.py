"""What the browser tests share: the demo's address and account, and the steps a trainer
takes (log in, pick an agency and a role), and the screenshots each test saves."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("EOFFICE_SCREENSHOTS", ROOT / "reports" / "screenshots"))
USER, PASSWORD = "giangvien", "tap-huan-van-thu"


@dataclass(frozen=True)
class Demo:
    base: str
    data: Path
    log: Path


def login(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/")
    page.fill("input[name=user]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/")
    return page


def act_as(page: Page, agency: str, role: str) -> None:
    """Pick the agency in the tier tree and play it as its clerk or leader."""
    page.goto("/")
    page.fill("input[data-filter]", agency)
    page.click(f'[data-testid="{role}-{agency}"]')
    page.wait_for_url(f"**{desk(agency, role)}/inbox")
    page.wait_for_selector("[data-testid=acting]")


def desk(agency: str, role: str = "clerk") -> str:
    """The address of an agency's pages in a role: every tab is its own desk."""
    return f"/a/{agency}/{role}"


def switch_role(page: Page, role: str) -> None:
    page.click(f".acting a.role[data-role={role}]")
    page.wait_for_selector(f".acting a.role.on[data-role={role}]")


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(path), full_page=full_page)
    return path
