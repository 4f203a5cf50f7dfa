"""Settings from the environment or `.env`, grouped by concern; `.env.example` lists each key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.programme import SHIPPED_PROGRAMME, Language

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/partnerbot.sqlite3"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class ConfigError(Exception):
    """A setting that prevents start-up; the message is one line for the operator."""


class _Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class TelegramSettings(_Settings):
    bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    base_url: str = Field(default="https://api.telegram.org/bot", alias="TELEGRAM_BASE_URL")

    def require_token(self) -> str:
        """The token, checked for shape: a typo should fail at start, not at first use."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
        token = self.bot_token.get_secret_value().strip()
        if not TOKEN_PATTERN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret> as BotFather gives it"
            )
        return token


class DatabaseSettings(_Settings):
    url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")


class EventSettings(_Settings):
    programme_file: Path = Field(default=SHIPPED_PROGRAMME, alias="PROGRAMME_FILE")
    default_language: Language = Field(default="de", alias="DEFAULT_LANGUAGE")
    # invite: only partners linked by an invite link may register; open: anyone may.
    access: Literal["invite", "open"] = Field(default="invite", alias="ACCESS")


class OrganiserSettings(_Settings):
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset(), alias="ADMIN_IDS")
    chat_id: int | None = Field(default=None, alias="ORGANISER_CHAT_ID")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """ADMIN_IDS is written `123, 456` in the environment."""
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if not all(part.lstrip("-").isdigit() for part in parts):
            raise ValueError("expected comma-separated numeric Telegram user ids, like 123,456")
        return frozenset(int(part) for part in parts)

    @field_validator("chat_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class OutboxSettings(_Settings):
    # Telegram allows about 30 messages a second in all; bulk sending leaves room for replies.
    rate: float = Field(default=25.0, gt=0, le=30, alias="BROADCAST_RATE")


class PrivacySettings(_Settings):
    # Days after the event's end until its personal data is deleted automatically.
    retention_days: int = Field(default=30, ge=0, le=3650, alias="RETENTION_DAYS")


class Settings:
    """All settings; each group reads its own keys so tests can override one group."""

    def __init__(
        self,
        *,
        telegram: TelegramSettings | None = None,
        database: DatabaseSettings | None = None,
        event: EventSettings | None = None,
        organisers: OrganiserSettings | None = None,
        outbox: OutboxSettings | None = None,
        privacy: PrivacySettings | None = None,
    ) -> None:
        self.telegram = telegram or TelegramSettings()
        self.database = database or DatabaseSettings()
        self.event = event or EventSettings()
        self.organisers = organisers or OrganiserSettings()
        self.outbox = outbox or OutboxSettings()
        self.privacy = privacy or PrivacySettings()


def load_settings() -> Settings:
    """Read every group, turning validation errors into one operator-readable line."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        key = first["loc"][0] if first["loc"] else "setting"
        raise ConfigError(f"{key}: {first['msg'].removeprefix('Value error, ')}") from None
