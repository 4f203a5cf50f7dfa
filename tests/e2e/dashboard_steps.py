"""Steps the dashboard's API tests share: a client on the bot's web app, signing in as
Telegram would, partners in the database."""

from __future__ import annotations

import httpx

from bot.app import build_web_app
from storage.users import Visitor
from tests.conftest import TEST_TOKEN
from tests.dashboard_signing import sign_init_data
from tests.harness import RunningBot

PAGE = "https://bot.example.org/dashboard/"
API = "/dashboard/api"
REOPEN_DE = "Bitte öffnen Sie die Übersicht noch einmal aus dem Bot."
REOPEN_EN = "Please open the dashboard from the bot again."


def client_for(bot: RunningBot, address: str = "127.0.0.2") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build_web_app(bot.application), client=(address, 5000))
    return httpx.AsyncClient(transport=transport, base_url="https://bot.example.org")


def launch(bot: RunningBot, user_id: int, **details: object) -> str:
    return sign_init_data(TEST_TOKEN, user_id=user_id, auth_date=bot.clock.now(), **details)  # type: ignore[arg-type]


async def sign_in(client: httpx.AsyncClient, init_data: str) -> httpx.Response:
    return await client.post(f"{API}/signin", json={"init_data": init_data})


async def signed_in(
    client: httpx.AsyncClient, bot: RunningBot, user_id: int, **details: object
) -> dict[str, str]:
    response = await sign_in(client, launch(bot, user_id, **details))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def partners(bot: RunningBot, count: int, start: int = 10_000) -> list[int]:
    ids = list(range(start, start + count))
    async with bot.services.database.transaction() as repositories:
        for user_id in ids:
            await repositories.users.record_visit(
                Visitor(user_id, f"Partner {user_id}", None, None, "de"), bot.clock.now()
            )
    return ids
