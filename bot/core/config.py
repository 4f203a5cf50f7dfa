"""Settings from the environment or `.env`, grouped by concern; `.env.example` lists each key."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.programme.model import SHIPPED_PROGRAMME, Language

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/partnerbot.sqlite3"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
# Telegram's rule for setWebhook's secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _checked_public_url(value: str, error: str) -> str:
    """The URL, stripped; an https:// one, or http:// only on this machine."""
    parsed = urlsplit(value.strip())
    local = parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS
    if not parsed.hostname or not (parsed.scheme == "https" or local):
        raise ValueError(error)
    return value.strip()


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
    # The most messages a second the bot sends in all (Telegram allows about 30). Bulk sending
    # starts just below it, leaving room for replies, and slows down on a 429 (bot/core/pacing.py).
    rate: float = Field(default=30.0, gt=0, le=30, alias="BROADCAST_RATE")


class PrivacySettings(_Settings):
    # Days after the event's end until its personal data is deleted automatically.
    retention_days: int = Field(default=30, ge=0, le=3650, alias="RETENTION_DAYS")


class FloodSettings(_Settings):
    # More than FLOOD_MAX_UPDATES updates from one user within FLOOD_WINDOW seconds are dropped.
    max_updates: int = Field(default=20, ge=1, alias="FLOOD_MAX_UPDATES")
    window: float = Field(default=10.0, gt=0, alias="FLOOD_WINDOW")


class WebhookSettings(_Settings):
    """Webhook mode when WEBHOOK_URL is set; long polling otherwise.

    The bot listens on plain HTTP behind a reverse proxy that terminates TLS for Telegram.
    """

    url: str | None = Field(default=None, alias="WEBHOOK_URL")
    secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    listen: str = Field(default="127.0.0.1", alias="WEBHOOK_LISTEN")
    port: int = Field(default=8443, ge=1, le=65535, alias="WEBHOOK_PORT")

    @field_validator("url", "secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("url")
    @classmethod
    def _https_unless_local(cls, value: str | None) -> str | None:
        """Telegram only calls HTTPS URLs; plain HTTP is for a local Bot API server."""
        if value is None:
            return None
        return _checked_public_url(
            value, "expected an https:// URL, like https://bot.example.org/telegram"
        )

    @property
    def enabled(self) -> bool:
        return self.url is not None

    @property
    def path(self) -> str:
        """The URL's path is where the bot listens: the reverse proxy passes it on unchanged."""
        return urlsplit(self.url or "").path.strip("/")

    def require_secret(self) -> str:
        """Without a secret anyone who guesses the URL could feed the bot forged updates."""
        secret = self.secret.get_secret_value().strip() if self.secret else ""
        if not secret:
            raise ConfigError("WEBHOOK_SECRET is not set; webhook mode needs it (see .env.example)")
        if not WEBHOOK_SECRET_PATTERN.match(secret):
            raise ConfigError(
                "WEBHOOK_SECRET is malformed: 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        return secret


class DashboardSettings(_Settings):
    """The organisers' Mini App (bot/dashboard/), on when DASHBOARD_URL is set.

    In webhook mode the webhook's server serves it too, so DASHBOARD_LISTEN and DASHBOARD_PORT
    are not used there; with long polling the bot listens on them for the dashboard alone.
    """

    url: str | None = Field(default=None, alias="DASHBOARD_URL")
    listen: str = Field(default="127.0.0.1", alias="DASHBOARD_LISTEN")
    port: int = Field(default=8081, ge=0, le=65535, alias="DASHBOARD_PORT")  # 0: any free port
    # How old Telegram's launch data may be when the page signs in.
    auth_max_age: timedelta = Field(default=timedelta(hours=1), alias="DASHBOARD_AUTH_MAX_AGE")
    # Addresses of reverse proxies whose X-Forwarded-For names the real client.
    trusted_proxies: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), alias="DASHBOARD_TRUSTED_PROXIES"
    )

    @field_validator("url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("url")
    @classmethod
    def _https_unless_local(cls, value: str | None) -> str | None:
        """Telegram opens Mini Apps over HTTPS only; plain HTTP is for trying it on this machine."""
        if value is None:
            return None
        url = _checked_public_url(
            value,
            "expected an https:// URL, like https://bot.example.org/dashboard/ "
            "(plain http:// only for 127.0.0.1 or localhost)",
        )
        return url.rstrip("/") + "/"

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        """DASHBOARD_TRUSTED_PROXIES is written `127.0.0.1, ::1` in the environment."""
        if not isinstance(value, str):
            return value
        return frozenset(part.strip() for part in value.split(",") if part.strip())

    @property
    def enabled(self) -> bool:
        return self.url is not None

    @property
    def path(self) -> str:
        """The URL's path, where the dashboard is served: `/` or `/dashboard/`."""
        return urlsplit(self.url or "").path or "/"


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
        webhook: WebhookSettings | None = None,
        flood: FloodSettings | None = None,
        dashboard: DashboardSettings | None = None,
    ) -> None:
        self.telegram = telegram or TelegramSettings()
        self.database = database or DatabaseSettings()
        self.event = event or EventSettings()
        self.organisers = organisers or OrganiserSettings()
        self.outbox = outbox or OutboxSettings()
        self.privacy = privacy or PrivacySettings()
        self.webhook = webhook or WebhookSettings()
        self.flood = flood or FloodSettings()
        self.dashboard = dashboard or DashboardSettings()


def load_settings() -> Settings:
    """Read every group, turning validation errors into one operator-readable line."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        key = first["loc"][0] if first["loc"] else "setting"
        raise ConfigError(f"{key}: {first['msg'].removeprefix('Value error, ')}") from None
