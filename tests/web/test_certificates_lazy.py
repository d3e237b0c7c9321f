"""The demo starts without issuing any agency's certificates (a first start in seconds); an
agency's organisation and leader certificates are issued the first time it needs them."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, expect

from signing import CertificateKind, Pki
from tests.web.browsing import Demo, act_as, login

UNTOUCHED = "000.17.38.H37"  # UBND Xã Yên Lâm: no other test drafts there


def _held(demo: Demo, agency: str) -> set[CertificateKind]:
    return {e.kind for e in Pki(demo.data / "pki").entries() if e.agency_code == agency}


def test_certificates_are_issued_when_an_agency_first_drafts(
    demo: Demo, context: BrowserContext
) -> None:
    assert "certificates: 0 issued" in demo.log.read_text()
    assert _held(demo, UNTOUCHED) == set()
    page = login(context)
    act_as(page, UNTOUCHED, "clerk")
    page.click("nav >> text=Soạn thảo")
    expect(page.locator("select[name=signer] option")).to_have_count(1)
    assert _held(demo, UNTOUCHED) == {CertificateKind.ORGANISATION, CertificateKind.PERSON}
