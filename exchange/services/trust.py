"""The hub's trust: the CA bundle and CRLs the PKI publishes (public material only: the hub
never reads a private key). A new CRL, written by `eoffice pki revoke`, is seen on the next
check: the file's modification stamp is compared on every call (one stat)."""

from __future__ import annotations

import os
from pathlib import Path

from signing import TrustStore

__all__ = ["TrustProvider"]


class TrustProvider:
    def __init__(self, public_dir: Path) -> None:
        self._bundle = public_dir / "ca-bundle.pem"
        self._crl = public_dir / "crl.pem"
        self._stamp: tuple[int, int] | None = None
        self._trust: TrustStore | None = None

    def current(self) -> TrustStore | None:
        """None while no PKI is published."""
        stamp = self._read_stamp()
        if stamp != self._stamp:
            self._trust = self._load() if stamp else None
            self._stamp = stamp
        return self._trust

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            return (os.stat(self._bundle).st_mtime_ns, os.stat(self._crl).st_mtime_ns)
        except FileNotFoundError:
            return None

    def _load(self) -> TrustStore:
        return TrustStore.from_pem(self._bundle.read_bytes(), self._crl.read_bytes())
