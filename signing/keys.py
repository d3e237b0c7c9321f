"""Key pairs: RSA-2048 (the default, as the government CA issues) or ECDSA P-256.

Private keys live in files created with mode 0600 and are never printed: `Signer` and the
PKI index keep them out of every repr, log line and JSON document.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from signing.errors import SigningError

__all__ = [
    "KeyAlgorithm",
    "PrivateKey",
    "PublicKey",
    "generate_key",
    "read_private_key",
    "sign_bytes",
    "write_private_key",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class KeyAlgorithm(StrEnum):
    RSA_2048 = "rsa2048"
    ECDSA_P256 = "ec-p256"


def generate_key(algorithm: KeyAlgorithm = KeyAlgorithm.RSA_2048) -> PrivateKey:
    """~50-70 ms for RSA-2048 on this machine, ~30 us for P-256."""
    if algorithm is KeyAlgorithm.ECDSA_P256:
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private_key(path: Path, key: PrivateKey) -> None:
    """PKCS#8 PEM in a new file readable by its owner only; an existing file is an error."""
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningError(f"Refusing to overwrite the key file {path.name}.") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def read_private_key(path: Path) -> PrivateKey:
    """Load a key this package wrote.

    RSA consistency checks are skipped: they cost ~50 ms per key, and the files are ours
    (mode 0600); whoever can rewrite them holds the key already.
    """
    key = serialization.load_pem_private_key(
        path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(f"{path.name} holds neither an RSA nor an EC key.")
    return key


def sign_bytes(key: PrivateKey, data: bytes, algorithm: hashes.HashAlgorithm) -> bytes:
    """PKCS#1 v1.5 for RSA, DER-encoded ECDSA for EC: what CMS and PDF signatures carry."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), algorithm)
    return key.sign(data, ec.ECDSA(algorithm))
