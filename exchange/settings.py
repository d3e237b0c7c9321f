"""Configuration: environment variables with the EXCHANGE_ prefix (pydantic-settings)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]

SUPPORTED_URLS = ("sqlite://", "postgresql+psycopg://")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXCHANGE_", frozen=True)

    database_url: str = "sqlite:///eoffice-data/hub.db"
    data_dir: Path = Path("eoffice-data")
    max_body_bytes: int = 50 * 1024 * 1024
    auth_window_seconds: int = 300  # the strict profile's timestamp window
    # national: what the national hub's SDK sends; strict: + fresh timestamp, nonce, body hash
    auth_profile: Literal["national", "strict"] = "national"
    inbox_cap: int = 1000  # getReceivedEdocList's most items in one answer (the SDK cannot page)
    max_header_bytes: int = 16 * 1024  # one header's value
    max_headers_bytes: int = 64 * 1024  # all headers together
    hub_organ_id: str = "000.00.00.VXP"
    batch_max: int = 256
    # Connectors keep connections open between polls; uvicorn's 5 s default closes them under
    # a client about to reuse one (it reads an empty reply). Load balancers keep ~60-75 s.
    keep_alive_seconds: int = 75
    signature_policy: Literal["off", "record", "enforce"] = "record"
    pki_dir: Path | None = None  # default: <data_dir>/pki
    pki_algorithm: Literal["rsa2048", "ec-p256"] = "rsa2048"
    # The audit chain's anchors (exchange/db/anchors.py): a signed head every this many records
    # or seconds, in audit-anchors.jsonl with its key audit-anchor.key, outside the database.
    audit_anchor_records: int = 10_000
    audit_anchor_seconds: float = 30.0
    audit_anchor_dir: Path | None = None  # default: data_dir
    # Identical refusals (claimed system, code, path) within this window: one record, counted.
    audit_repeat_seconds: float = 60.0
    # /metrics, /docs, /redoc, /openapi.json: for anyone (true), or (false) only for clients in
    # ops_allow (networks) or bearing `Authorization: Bearer <ops_token>`; others get a 404.
    public_ops: bool = True
    ops_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    ops_token: SecretStr | None = None
    metrics_cache_seconds: float = 5.0  # /metrics' document counts are at most this old
    # CPU seconds per call in /metrics (exchange/api/cpu_meter.py), one request in `_every`
    cpu_accounting: bool = False
    cpu_accounting_every: int = Field(8, ge=1)

    @property
    def pki_path(self) -> Path:
        return self.pki_dir or self.data_dir / "pki"

    @property
    def anchor_path(self) -> Path:
        return self.audit_anchor_dir or self.data_dir

    @field_validator("ops_allow")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # a ValueError names the bad one
        return value

    @field_validator("audit_anchor_seconds", "audit_repeat_seconds")
    @classmethod
    def _positive_seconds(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be positive")
        return value

    @field_validator("metrics_cache_seconds")
    @classmethod
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("must not be negative")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(SUPPORTED_URLS):
            raise ValueError(
                f"EXCHANGE_DATABASE_URL must start with one of {', '.join(SUPPORTED_URLS)}"
            )
        return value

    @field_validator(
        "max_body_bytes",
        "auth_window_seconds",
        "batch_max",
        "keep_alive_seconds",
        "inbox_cap",
        "max_header_bytes",
        "max_headers_bytes",
        "audit_anchor_records",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be positive")
        return value
