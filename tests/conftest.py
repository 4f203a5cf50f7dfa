"""Shared fixtures: a database (SQLite file, and PostgreSQL when TEST_POSTGRES_URL is set),
the Bot API emulator, and the real bot running against both."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.app import build_application, build_services, running
from bot.core.clock import ManualClock, SystemClock
from bot.core.config import (
    DashboardSettings,
    DatabaseSettings,
    EventSettings,
    FloodSettings,
    OrganiserSettings,
    PrivacySettings,
    Settings,
    TelegramSettings,
    WebhookSettings,
)
from bot.emulator import Chat, RateLimit, TelegramEmulator
from bot.programme.model import SHIPPED_PROGRAMME, Programme
from tests.harness import RunningBot, StartBot

TEST_TOKEN = "123456:" + "A" * 35
BEFORE_EVENT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
ORGANISERS_CHAT = Chat(id=-1001234567890, type="supergroup", title="Orga-Team Klimakonferenz")


def _postgres_admin_dsn() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        return None
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database per test: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/partnerbot.sqlite3"
        return
    admin_dsn = _postgres_admin_dsn()
    if admin_dsn is None:
        pytest.skip("PostgreSQL tests need TEST_POSTGRES_URL (e.g. .ci/run sets it)")
    name = f"partnerbot_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(os.environ["TEST_POSTGRES_URL"]).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def make_settings(
    database_url: str,
    *,
    base_url: str = "http://127.0.0.1:9/bot",
    admin_ids: frozenset[int] = frozenset(),
    organiser_chat_id: int | None = None,
    default_language: str = "de",
    programme_file: Path = SHIPPED_PROGRAMME,
    access: str = "open",
    retention_days: int = 30,
    flood_max_updates: int = 20,
    dashboard_url: str | None = None,
    trusted_proxies: str = "",
) -> Settings:
    """Settings for tests, never read from a developer's `.env`."""
    return Settings(
        telegram=TelegramSettings(
            _env_file=None, TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_BASE_URL=base_url
        ),
        database=DatabaseSettings(_env_file=None, DATABASE_URL=database_url),
        event=EventSettings(
            _env_file=None,
            DEFAULT_LANGUAGE=default_language,
            PROGRAMME_FILE=programme_file,
            ACCESS=access,
        ),
        organisers=OrganiserSettings(
            _env_file=None, ADMIN_IDS=admin_ids, ORGANISER_CHAT_ID=organiser_chat_id
        ),
        privacy=PrivacySettings(_env_file=None, RETENTION_DAYS=retention_days),
        webhook=WebhookSettings(_env_file=None),
        flood=FloodSettings(_env_file=None, FLOOD_MAX_UPDATES=flood_max_updates),
        # Port 0: the dashboard, when on, listens on a free port (`WebServer.port`).
        dashboard=DashboardSettings(
            _env_file=None,
            DASHBOARD_URL=dashboard_url,
            DASHBOARD_PORT=0,
            DASHBOARD_TRUSTED_PROXIES=trusted_proxies,
        ),
    )


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    """Telegram as the bot meets it, flood limits included: 30 messages a second in all, per
    chat a burst of 3 and then one a second, 20 a minute per group. Simulated partners take
    two seconds to read an answer before they act, as people do however fast the test runs."""
    async with TelegramEmulator(rate_limit=RateLimit(reading_time=2.0)) as emulator:
        emulator.add_chat(ORGANISERS_CHAT)
        yield emulator


@pytest.fixture
async def start_bot(emulator: TelegramEmulator, database_url: str) -> AsyncIterator[StartBot]:
    """Starts the real bot against the emulator; call again after `stop()` to restart it."""
    started: list[RunningBot] = []
    try:

        async def start(
            *,
            now: datetime = BEFORE_EVENT,
            programme: Programme | None = None,
            admin_ids: frozenset[int] = frozenset(),
            organiser_chat_id: int | None = None,
            default_language: str = "de",
            conversation_timeout: float | None = None,
            programme_file: Path = SHIPPED_PROGRAMME,
            real_time: bool = False,
            access: str = "open",  # most tests are about other things than invitations
            retention_days: int = 30,
            flood_max_updates: int = 20,
            dashboard_url: str | None = None,
            trusted_proxies: str = "",
        ) -> RunningBot:
            settings = make_settings(
                database_url,
                base_url=emulator.base_url,
                admin_ids=admin_ids,
                organiser_chat_id=organiser_chat_id,
                default_language=default_language,
                programme_file=programme_file,
                access=access,
                retention_days=retention_days,
                flood_max_updates=flood_max_updates,
                dashboard_url=dashboard_url,
                trusted_proxies=trusted_proxies,
            )
            clock = SystemClock() if real_time else ManualClock(now)
            services = build_services(
                settings,
                token=TEST_TOKEN,
                base_url=emulator.base_url,
                clock=clock,
                programme=programme,
            )
            if conversation_timeout is not None:
                services.conversation_timeout = conversation_timeout
            application = build_application(services)
            bot = RunningBot(application, services, clock, emulator)
            await bot._stack.enter_async_context(running(application))
            started.append(bot)
            return bot

        yield start
    finally:
        for bot in reversed(started):
            await bot.stop()


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    """The bot a week before the conference, with an organisers' chat."""
    return await start_bot(organiser_chat_id=ORGANISERS_CHAT.id)
