"""The emulator delivers updates to a webhook as Telegram does: POSTed in order, with the secret."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.emulator import TelegramEmulator

TOKEN = "123456:" + "A" * 35


async def receiver(answers: list[int]) -> tuple[web.AppRunner, str, list[tuple[Any, str | None]]]:
    """A web server that records what arrives and answers with `answers`, then 200."""
    received: list[tuple[Any, str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(status=answers.pop(0) if answers else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/hook", received


async def test_updates_are_posted_in_order_with_the_secret_and_retried() -> None:
    runner, url, received = await receiver([500])
    try:
        async with TelegramEmulator() as emulator, Bot(TOKEN, base_url=emulator.base_url) as bot:
            assert await bot.set_webhook(url, secret_token="top-secret_1")
            anna = emulator.user()
            emulator.send_text(anna, "eins")
            emulator.send_text(anna, "zwei")
            for _ in range(100):
                if emulator.pending_updates == 0:
                    break
                await asyncio.sleep(0.05)
            texts = [update["message"]["text"] for update, _ in received]
            assert texts == ["eins", "eins", "zwei"]  # the 500 was retried, order kept
            assert {secret for _, secret in received} == {"top-secret_1"}
            assert [status for _, status in emulator.webhook_deliveries] == [500, 200, 200]
            with pytest.raises(Conflict):
                await bot.get_updates()
            assert (await bot.get_webhook_info()).url == url

            assert await bot.delete_webhook()
            emulator.send_text(anna, "drei")
            updates = await bot.get_updates()
            assert [u.message.text for u in updates if u.message] == ["drei"]
    finally:
        await runner.cleanup()


async def test_webhooks_must_be_https_except_on_this_machine() -> None:
    async with TelegramEmulator() as emulator, Bot(TOKEN, base_url=emulator.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)https url"):
            await bot.set_webhook("http://bot.example.org/hook")
        with pytest.raises(BadRequest, match=r"(?i)secret token"):
            await bot.set_webhook("https://bot.example.org/hook", secret_token="no spaces")
