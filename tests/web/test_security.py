"""Access, CSRF and escaping, over plain HTTP against the running demo: the trainer's login
guards every page, every POST carries the session's token, an agency sees only its own
documents, and what a user types comes back as text, never as HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.web.browsing import PASSWORD, USER, Demo

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _token(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def _client(demo: Demo) -> httpx.Client:
    return httpx.Client(base_url=demo.base, follow_redirects=False, timeout=30)


@pytest.fixture
def trainer(demo: Demo) -> Iterator[httpx.Client]:
    with _client(demo) as client:
        token = _token(client.get("/login"))
        answer = client.post("/login", data={"csrf": token, "user": USER, "password": PASSWORD})
        assert (answer.status_code, answer.headers["location"]) == (303, "/")
        yield client


def _desk(agency: str, role: str = "clerk") -> str:
    return f"/a/{agency}/{role}"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/a/000.00.00.H37/clerk/inbox",
        "/a/000.00.00.H37/clerk/outbox",
        "/a/000.00.00.H37/leader/compose",
        "/hub",
        "/a/000.00.00.H37/clerk/in/4ec00000-0000-4000-8000-000000000001",
    ],
)
def test_every_page_needs_the_trainer(demo: Demo, path: str) -> None:
    with _client(demo) as client:
        answer = client.get(path)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


def test_a_live_fragment_without_login_is_refused_not_redirected(demo: Demo) -> None:
    with _client(demo) as client:
        answer = client.get("/hub/live", headers={"X-Requested-With": "fetch"})
    assert answer.status_code == 401


def test_a_wrong_password_does_not_log_in(demo: Demo) -> None:
    with _client(demo) as client:
        token = _token(client.get("/login"))
        answer = client.post("/login", data={"csrf": token, "user": USER, "password": "đoán-bừa"})
        assert answer.headers["location"] == "/login"
        assert client.get("/").headers["location"] == "/login"


def test_the_session_cookie_is_signed_http_only_and_same_site(demo: Demo) -> None:
    with _client(demo) as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        ({}, {}),
        ({"csrf": "forged"}, {}),
        ({"csrf": None}, {"Origin": "http://evil.example"}),
    ],
    ids=["missing", "forged", "other-origin"],
)
def test_every_post_needs_the_sessions_token_from_this_origin(
    trainer: httpx.Client, data: dict[str, str | None], headers: dict[str, str]
) -> None:
    token = _token(trainer.get("/"))
    form = {"template": "cong-van", "recipients": "000.00.35.H37", **data}
    form = {k: (token if v is None else v) for k, v in form.items()}
    answer = trainer.post(f"{_desk('000.00.00.H37')}/compose", data=form, headers=headers)
    assert answer.status_code == 403
    assert "Chưa có văn bản đi" in trainer.get(f"{_desk('000.00.00.H37')}/outbox").text


def test_pages_carry_a_strict_content_security_policy(trainer: httpx.Client) -> None:
    policy = trainer.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_a_next_address_never_leaves_the_site(trainer: httpx.Client) -> None:
    token = _token(trainer.get("/"))
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = trainer.post("/lang", data={"csrf": token, "lang": "en", "next": target})
        assert answer.headers["location"] == "/"


def test_what_a_user_types_is_shown_as_text(trainer: httpx.Client) -> None:
    token = _token(trainer.get("/"))
    subject = '<script>alert("x")</script><b>Đậm</b>'
    form = {
        "csrf": token,
        "template": "cong-van",
        "subject": subject,
        "signer": "000.00.12.H37.person.1",
        "priority": "0",
        "recipients": "000.00.35.H37",
    }
    answer = trainer.post(f"{_desk('000.00.12.H37')}/compose", data=form)
    assert answer.status_code == 303, answer.text
    page = trainer.get(answer.headers["location"]).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;Đậm&lt;/b&gt;" in page
    assert "<script>alert" not in page


def test_an_agency_sees_only_its_own_documents(trainer: httpx.Client) -> None:
    sender, recipient, stranger = "000.00.13.H37", "000.00.36.H37", "000.00.01.H37"
    token = _token(trainer.get("/"))
    answer = trainer.post(
        f"{_desk(sender)}/lessons/tamper", data={"csrf": token, "recipient": recipient}
    )
    assert answer.status_code == 303, answer.text
    outgoing = answer.headers["location"].removeprefix(_desk(sender))
    inbox = trainer.get(f"{_desk(recipient)}/inbox").text
    found = re.search(r'href="/a/[^/]+/clerk(/in/[0-9a-f-]+)"', inbox)
    assert found, inbox
    received = found.group(1)
    assert trainer.get(_desk(recipient) + received).status_code == 200
    for path in (received, f"{received}/pdf", outgoing, f"{outgoing}/pdf"):
        assert trainer.get(_desk(stranger) + path).status_code == 404, path
