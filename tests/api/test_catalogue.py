"""The README's refusal catalogue names every refusal the hub can give, with its HTTP status."""

from __future__ import annotations

import re
from pathlib import Path

from exchange.api.errors import status_for
from exchange.domain import errors as e

README = Path(__file__).resolve().parents[2] / "README.md"


def _refusals() -> list[type[e.ExchangeError]]:
    found: list[type[e.ExchangeError]] = []
    pending: list[type[e.ExchangeError]] = [e.ExchangeError]
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if kind not in (e.ExchangeError, e.AuthError, e.SignatureRejected):
            found.append(kind)
    return found


def _catalogue() -> dict[str, int]:
    text = README.read_text()
    section = text[text.index("### Refusals") : text.index("### Storage")]
    rows: dict[str, int] = {}
    for status, codes in re.findall(r"^\| (\d{3}) \| (.+?) \|", section, re.MULTILINE):
        for code in re.findall(r"`([a-z_<>]+)`", codes):
            rows[code] = int(status)
    return rows


def test_every_refusal_is_in_the_catalogue_with_its_status() -> None:
    catalogue = _catalogue()
    for kind in _refusals():
        error = kind("x")
        assert catalogue.get(kind.code) == status_for(error), kind.__name__
    assert catalogue["signature_<problem>"] == status_for(e.SignatureRejected("tampered", "x"))


def test_the_catalogue_names_no_code_the_hub_never_gives() -> None:
    known = {kind.code for kind in _refusals()} | {"signature_<problem>"}
    assert set(_catalogue()) <= known
