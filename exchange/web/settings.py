"""The workbench's own settings (prefix EXCHANGE_DEMO_): the trainer's account, the session
key and the seeded registry whose systems the workbench plays."""

from __future__ import annotations

import secrets

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["WorkbenchSettings"]


class WorkbenchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXCHANGE_DEMO_", frozen=True)

    user: str = "giangvien"
    password: SecretStr  # required: `eoffice demo` prints the one it sets when none is given
    session_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_hex(32)))
    registry: str = "ninh-binh-2019"  # credentials/<registry>.json, written by the seeding
    poll_seconds: float = 2.0  # how often each system polls the hub (real systems: 5 minutes)

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 8:
            raise ValueError("EXCHANGE_DEMO_PASSWORD must have at least 8 characters")
        return value
