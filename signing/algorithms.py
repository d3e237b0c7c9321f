"""Algorithm identifiers of CMS SignerInfos, named fast.

The common AlgorithmIdentifier encodings are looked up by their bytes (asn1crypto builds
the table); anything else goes through asn1crypto's full parse. Same answers, one dict
lookup instead of ~20 us of generic parsing per identifier.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import algos, core

__all__ = ["digest_name", "signature_mechanism"]

_DIGESTS = ("sha1", "sha256", "sha384", "sha512")
_SIGNATURES = {  # asn1crypto name -> (mechanism, hash or "" when the digest algorithm decides)
    "rsassa_pkcs1v15": ("rsassa_pkcs1v15", ""),
    "sha1_rsa": ("rsassa_pkcs1v15", "sha1"),
    "sha256_rsa": ("rsassa_pkcs1v15", "sha256"),
    "sha384_rsa": ("rsassa_pkcs1v15", "sha384"),
    "sha512_rsa": ("rsassa_pkcs1v15", "sha512"),
    "sha1_ecdsa": ("ecdsa", "sha1"),
    "sha256_ecdsa": ("ecdsa", "sha256"),
    "sha384_ecdsa": ("ecdsa", "sha384"),
    "sha512_ecdsa": ("ecdsa", "sha512"),
}


def _encodings(oid: str) -> tuple[bytes, bytes]:
    """An AlgorithmIdentifier without parameters and with NULL ones (both are seen)."""
    bare = core.ObjectIdentifier(oid).dump()
    return _sequence(bare), _sequence(bare + core.Null().dump())


def _sequence(body: bytes) -> bytes:
    return bytes(core.Sequence.load(b"\x30" + bytes([len(body)]) + body).dump())


def _table(names: dict[str, Any], kind: type[core.ObjectIdentifier]) -> dict[bytes, Any]:
    reverse = {name: dotted for dotted, name in kind._map.items()}
    return {raw: value for name, value in names.items() for raw in _encodings(reverse[name])}


_DIGEST_TABLE = _table({name: name for name in _DIGESTS}, algos.DigestAlgorithmId)
_SIGNATURE_TABLE = _table(_SIGNATURES, algos.SignedDigestAlgorithmId)


def digest_name(encoding: bytes) -> str:
    """'sha256' etc. for a DigestAlgorithmIdentifier's encoding."""
    found = _DIGEST_TABLE.get(encoding)
    return (
        found
        if isinstance(found, str)
        else str(algos.DigestAlgorithm.load(encoding)["algorithm"].native)
    )


def signature_mechanism(encoding: bytes, digest: str) -> tuple[str, str]:
    """(mechanism, hash) of a SignatureAlgorithmIdentifier; rsaEncryption takes `digest`."""
    found = _SIGNATURE_TABLE.get(encoding)
    if found is None:
        identifier = algos.SignedDigestAlgorithm.load(encoding)
        found = (identifier.signature_algo, _hash_of(identifier))
    mechanism, hash_name = found
    return mechanism, hash_name or digest


def _hash_of(identifier: Any) -> str:
    try:
        return str(identifier.hash_algo)
    except ValueError:  # bare rsaEncryption or PSS: the digest algorithm (or PSS params) decide
        return ""
