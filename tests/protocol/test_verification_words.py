"""What a verification says of a message with nothing signed: an unsigned status package
passes (the policy allows it) but is never called "valid signatures"."""

from __future__ import annotations

from exchange.protocol.verification import MessageVerification


def test_an_unsigned_status_package_is_said_to_be_unsigned() -> None:
    unsigned = MessageVerification(document=None, envelope=None)
    assert unsigned.valid and not unsigned.signed
    assert "unsigned" in unsigned.reason and "valid signatures" not in unsigned.reason
    assert unsigned.summary()["signed"] is False
