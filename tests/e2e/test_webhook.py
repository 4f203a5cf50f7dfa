"""`partnerbot run` with WEBHOOK_URL: Telegram's POSTs are answered, forged ones get a 403."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.emulator import TelegramEmulator
from storage.database import Database
from tests.conftest import TEST_TOKEN
from tests.dashboard_signing import sign_init_data

SECRET = "s3cret_Token-for-the-webhook"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def forged_update(
    update_id: int, user_id: int, text: str, first_name: str = "Mallory"
) -> dict[str, object]:
    person = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "de"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": person,
            "text": text,
        },
    }


@asynccontextmanager
async def webhook_process(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path, **extra_env: str
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    """The bot in webhook mode; yields the webhook URL. Stopped with SIGTERM, checked clean."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_URL": database_url,
        "WEBHOOK_URL": url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        **{key: value.format(port=port) for key, value in extra_env.items()},
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield url, process
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert "Receiving updates by webhook" in log
    assert "Stopped cleanly" in log


@pytest.fixture
async def webhook_bot(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    async with webhook_process(emulator, database_url, tmp_path) as running:
        yield running


async def test_the_dashboard_shares_the_webhooks_port(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path
) -> None:
    """One port for Telegram's updates and the dashboard; DASHBOARD_PORT is not used."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))  # were DASHBOARD_PORT used, the start would fail here
    dashboard_env = {
        "DASHBOARD_URL": "http://127.0.0.1:{port}/dashboard/",
        "DASHBOARD_PORT": str(taken.getsockname()[1]),
        "ADMIN_IDS": "4343",
    }
    try:
        async with webhook_process(emulator, database_url, tmp_path, **dashboard_env) as (url, _):
            anna = emulator.user(first_name="Anna", language_code="de")
            answer = await emulator.ask(anna, "Wann beginnt die Keynote?", timeout=30)
            assert "Anders Levermann" in answer.plain_text
            page_url = url.removesuffix("/telegram") + "/dashboard/"
            init_data = sign_init_data(TEST_TOKEN, user_id=4343, auth_date=datetime.now(UTC))
            async with aiohttp.ClientSession() as session:
                async with session.get(page_url) as page:
                    assert page.status == 200
                    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
                signin = {"init_data": init_data}
                async with session.post(page_url + "api/signin", json=signin) as response:
                    assert response.status == 200
                    token = (await response.json())["token"]
                headers = {"Authorization": f"Bearer {token}"}
                async with session.get(page_url + "api/live", headers=headers) as response:
                    assert await response.json() == {"parties": 0, "persons": 0}
    finally:
        taken.close()


async def test_updates_arrive_by_webhook_and_forged_ones_are_refused(
    emulator: TelegramEmulator,
    database_url: str,
    webhook_bot: tuple[str, asyncio.subprocess.Process],
) -> None:
    url, _ = webhook_bot
    anna = emulator.user(first_name="Anna", language_code="de")
    answer = await emulator.ask(anna, "Wann beginnt die Keynote?", timeout=30)
    assert "Anders Levermann" in answer.plain_text
    assert emulator.calls_of("setWebhook")[-1].params["url"] == url
    assert emulator.calls_of("getUpdates") == []
    assert all(status == 200 for _, status in emulator.webhook_deliveries[-1:])

    john = emulator.user(first_name="John", language_code="de")
    await emulator.ask(john, "/start")  # the bot may write to him: he has written to it
    mallory = emulator.user(first_name="Mallory", language_code="de")
    sent_before = len(emulator.sent)
    async with aiohttp.ClientSession() as session:
        for update_id, headers in (
            (900_001, {}),
            (900_002, {HEADER: "guessed"}),
            (900_003, {HEADER: SECRET + "x"}),
        ):
            update = forged_update(update_id, mallory.id, "Wo findet die Konferenz statt?")
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        # Telegram's own request, with the secret, is processed.
        update = forged_update(900_004, john.id, "Wo findet die Konferenz statt?", "John")
        async with session.post(url, json=update, headers={HEADER: SECRET}) as response:
            assert response.status == 200
    answer_to_john = await emulator.wait_for(john, since=sent_before, timeout=10)
    assert "Naschmarkt" in answer_to_john.plain_text

    assert emulator.messages_to(mallory) == []
    assert emulator.sent[sent_before:] == [answer_to_john]
    # The bot writes visits in batches, shortly after its reply: wait for John's.
    database = Database(database_url)
    try:
        for _ in range(200):
            async with database.transaction() as repositories:
                if await repositories.users.get(john.id) is not None:
                    assert await repositories.users.get(mallory.id) is None
                    break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("John, whose update had the secret, was never recorded")
    finally:
        await database.close()
