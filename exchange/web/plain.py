"""Plain words for what the hub and the signature check say: the catalogue key of a hub
refusal (never its raw code), the advice for a signature problem, and the reason a clerk
writes into a 02 (always in Vietnamese: it is part of the official exchange)."""

from __future__ import annotations

from exchange.web.i18n import Translator
from exchange.web.messages import MESSAGES

__all__ = ["advice_key", "hub_refusal_key", "return_reason"]

_VIETNAMESE = Translator("vi")


def hub_refusal_key(code: str) -> str:
    """`hubsays.<code>`, or the family's (`signature_*`, `auth_*`), or `hubsays.other`."""
    for key in (code, code.split("_", 1)[0]):
        if f"hubsays.{key}" in MESSAGES:
            return f"hubsays.{key}"
    return "hubsays.other"


def advice_key(problem: str | None) -> str:
    if problem is None:
        return "advice.valid"
    return f"advice.{problem}" if f"advice.{problem}" in MESSAGES else "advice.other"


def return_reason(problem: str) -> str:
    """The 02 reason for a document whose signatures failed with `problem`."""
    described = _VIETNAMESE(f"problem.{problem}", default="problem.other")
    request = _VIETNAMESE(f"request.{problem}", default="request.other")
    return _VIETNAMESE("return.reason", problem=described, request=request)
