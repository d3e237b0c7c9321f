"""Reset the class in one click: the hub forgets the documents, every register starts at 01
again, a document numbered 01 again travels (it is not taken for the old one), and the
accounts, secrets and certificates stay."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, expect

from signing import Pki
from tests.web.browsing import Demo, act_as, login, screenshot
from tests.web.test_workflow import compose_sign_send, timeline_shows

SENDER, TO = "000.00.02.H37", "000.00.31.H37"


def test_a_new_class_starts_from_01_with_the_same_keys(browser: Browser, own_demo: Demo) -> None:
    context = browser.new_context(base_url=own_demo.base, viewport={"width": 1280, "height": 720})
    context.set_default_timeout(15_000)
    try:
        page = login(context)
        act_as(page, SENDER, "clerk")
        compose_sign_send(page, [TO], "V/v lớp thứ nhất")
        timeline_shows(page, TO, "01")
        expect(page.locator("[data-testid=doc-number]")).to_contain_text("01/SNV-VP")
        secrets = (own_demo.data / "credentials" / "ninh-binh-2019.json").read_text()
        certificates = {e.id for e in Pki(own_demo.data / "pki").entries()}

        page.click("nav >> text=Trục liên thông")
        page.click("[data-testid=reset-class]")
        screenshot(page, "reset-confirm", full_page=False)
        page.click("[data-testid=confirm-reset]")
        expect(page.locator(".flash.ok")).to_contain_text("Lớp mới")

        act_as(page, SENDER, "clerk")
        page.click("nav >> text=Văn bản đi")
        expect(page.locator("main")).to_contain_text("Chưa có văn bản đi")
        compose_sign_send(page, [TO], "V/v lớp thứ hai")
        expect(page.locator("[data-testid=doc-number]")).to_contain_text("01/SNV-VP")
        timeline_shows(page, TO, "01")  # delivered: not mistaken for the first class's 01
        act_as(page, TO, "clerk")
        expect(page.locator("[data-testid=inbox]")).to_contain_text("V/v lớp thứ hai")
        expect(page.locator("[data-testid=inbox]")).not_to_contain_text("V/v lớp thứ nhất")
        assert (own_demo.data / "credentials" / "ninh-binh-2019.json").read_text() == secrets
        assert certificates <= {e.id for e in Pki(own_demo.data / "pki").entries()}
        assert json.loads(secrets)["systems"]
    finally:
        context.close()
