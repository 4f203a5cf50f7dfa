"""Steps the dashboard's API tests share: a client on the bot's web app, signing in as
Telegram would, partners in the database."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.app import build_web_app
from bot.emulator import TelegramEmulator
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


async def opened_by(
    client: httpx.AsyncClient,
    bot: RunningBot,
    emulator: TelegramEmulator,
    user_id: int,
    first_name: str,
) -> dict[str, str]:
    """An organiser who has written to the bot (/dashboard opens from there) and signed in."""
    await emulator.ask(
        emulator.user(id=user_id, first_name=first_name, language_code="de"), "/start"
    )
    return await signed_in(client, bot, user_id, first_name=first_name)


async def assert_refused(
    client: httpx.AsyncClient,
    bot: RunningBot,
    method: str,
    path: str,
    body: dict[str, object],
    *,
    organiser: int,
) -> None:
    """A forged token, a partner, an organiser removed since signing in and a session 15
    minutes without renewal: each refused with nothing but "open it from the bot again"."""
    url = f"{API}/{path}"
    forged = await client.request(method, url, headers={"Authorization": "Bearer x"}, json=body)
    assert forged.status_code == 401
    partner = await sign_in(client, launch(bot, 10_999))
    assert partner.status_code == 403 and "token" not in partner.json()
    olaf = 5151
    await bot.services.organisers.add(olaf, added_by=organiser)
    headers = await signed_in(client, bot, olaf)
    await bot.services.organisers.remove(olaf)
    removed = await client.request(method, url, headers=headers, json=body)
    assert removed.status_code == 403 and removed.json() == {"error": REOPEN_DE}
    expired = await signed_in(client, bot, organiser)
    bot.clock.advance(timedelta(minutes=16))
    late = await client.request(method, url, headers=expired, json=body)
    assert late.status_code == 401
