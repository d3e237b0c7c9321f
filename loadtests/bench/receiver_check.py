"""The realistic receiver: before registering a document (03) it checks the person's and the
organisation's signatures as Nghị định 30/2020 asks, and returns it (02) otherwise. No locust.

It trusts what the PKI publishes (`<pki>/public`: the CA bundle and the CRL), as the hub does.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from exchange.protocol.receiver import Answer, answer_for
from exchange.protocol.verification import verify_message
from loadtests.bench.documents import Delivered
from signing import TrustStore

__all__ = ["REGISTER", "ReceiverCheck", "public_trust"]

REGISTER = Answer("03", "")  # a receiver that does not check: registered, the usual wording


def public_trust(public: Path) -> TrustStore:
    """What a PKI publishes in `public`: its CA bundle and CRL."""
    bundle, crl = (public / "ca-bundle.pem").read_bytes(), (public / "crl.pem").read_bytes()
    return TrustStore.from_pem(bundle, crl)


class ReceiverCheck:
    def __init__(self, trust: TrustStore) -> None:
        self._trust = trust

    @classmethod
    def from_public(cls, public: Path) -> ReceiverCheck:
        return cls(public_trust(public))

    def answer(self, delivered: Delivered, now: datetime) -> Answer:
        """03 when the signatures verify, 02 with the reason otherwise."""
        verification = verify_message(delivered.body, delivered.message, self._trust, now)
        return answer_for(verification)
