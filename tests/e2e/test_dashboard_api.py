"""The dashboard's API through an ASGI client, against the real services and database: who is
let in, what each refusal says (nothing but "open it from the bot again"), and that every page
shows and does what the chat commands show and do."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.emulator import TelegramEmulator, User
from bot.registration.rules import Dietary
from bot.registration.service import RsvpAnswers
from tests.conftest import TEST_TOKEN
from tests.dashboard_signing import sign_init_data
from tests.e2e import dashboard_steps as steps
from tests.e2e.dashboard_steps import API, PAGE, REOPEN_DE, REOPEN_EN, client_for, partners, sign_in
from tests.harness import RunningBot, StartBot

OLGA, OSCAR = 4343, 4344  # organisers (ADMIN_IDS)


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(
        admin_ids=frozenset({OLGA, OSCAR}), dashboard_url=PAGE, trusted_proxies="127.0.0.9"
    )


@pytest.fixture
async def client(bot: RunningBot) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bot) as client:
        yield client


def launch(bot: RunningBot, user_id: int = OLGA, **details: object) -> str:
    return steps.launch(bot, user_id, **details)


async def signed_in(
    client: httpx.AsyncClient, bot: RunningBot, user_id: int = OLGA
) -> dict[str, str]:
    return await steps.signed_in(client, bot, user_id)


async def register(
    bot: RunningBot,
    user_id: int,
    name: str,
    organisation: str | None,
    persons: int,
    **answers: object,
) -> None:
    await bot.services.registrations.submit(
        user_id,
        RsvpAnswers(
            attending=persons > 0,
            name=name,
            organisation=organisation,
            persons=max(persons, 1),
            **answers,  # type: ignore[arg-type]
        ),
    )


async def the_usual(bot: RunningBot) -> dict[str, int]:
    """Anna (2) and Jonas Müller (1) of the Stadtwerke, Bernd Schmidt (3), Cleo declined."""
    anna, jonas, bernd, cleo = await partners(bot, 4)
    await register(bot, anna, "Anna Müller", "Leipziger Stadtwerke", 2, dietary=Dietary.VEGAN)
    await register(bot, jonas, "Jonas Müller", "Leipziger Stadtwerke", 1)
    await register(bot, bernd, "Bernd Schmidt", "Universität Leipzig", 3)
    await register(bot, cleo, "Cleo Declined", "Leipziger Stadtwerke", 0)
    return {"anna": anna, "jonas": jonas, "bernd": bernd, "cleo": cleo}


# ---------------------------------------------------------------- signing in and refusals


async def test_an_organiser_signs_in_and_every_answer_carries_strict_headers(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    page = await client.get("/dashboard/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'self' https://web.telegram.org" in policy
    assert 'src="static/app.js"' in page.text and "https://" not in page.text.split("<body>")[1]
    assert (await client.get("/dashboard/static/app.js")).status_code == 200

    session = await sign_in(client, launch(bot))
    assert session.status_code == 200
    assert session.json()["language"] == "de" and session.json()["name"] == "Olga"
    overview = await client.get(
        f"{API}/overview", headers={"Authorization": f"Bearer {session.json()['token']}"}
    )
    assert overview.status_code == 200
    assert overview.headers["cache-control"] == "no-store"
    assert "frame-ancestors" in overview.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("partner", 403),
        ("wrong signature", 401),
        ("stale", 401),
        ("missing hash", 401),
        ("malformed", 401),
    ],
)
async def test_a_refused_sign_in_gets_nothing_but_open_it_again(
    bot: RunningBot, client: httpx.AsyncClient, case: str, status: int
) -> None:
    now = bot.clock.now()
    init_data = {
        "partner": launch(bot, user_id=10_001),
        "wrong signature": sign_init_data("999:" + "B" * 35, user_id=OLGA, auth_date=now),
        "stale": sign_init_data(TEST_TOKEN, user_id=OLGA, auth_date=now - timedelta(minutes=61)),
        "missing hash": launch(bot).split("&hash=")[0],
        "malformed": "user=%7B&hash=00",
    }[case]
    response = await sign_in(client, init_data)
    assert response.status_code == status
    expected = REOPEN_DE if case != "malformed" else f"{REOPEN_DE} / {REOPEN_EN}"
    assert response.json() == {"error": expected}


async def test_refusals_speak_the_users_language_or_both(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    english = await sign_in(client, launch(bot, user_id=10_002, language_code="en-GB"))
    assert english.json() == {"error": REOPEN_EN}
    unknown = await sign_in(client, launch(bot, user_id=10_002, language_code=None))
    assert unknown.json() == {"error": f"{REOPEN_DE} / {REOPEN_EN}"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer made-up"}])
async def test_no_data_without_a_valid_token(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    for method, path in (
        ("GET", "overview"), ("GET", "live"), ("GET", "registrations"),
        ("GET", "registrations/1"), ("POST", "export"), ("GET", "door?q=Anna"),
        ("GET", "door/1"), ("POST", "door/1/checkin"), ("POST", "door/1/undo"),
        ("POST", "session"),
    ):  # fmt: skip
        response = await client.request(method, f"{API}/{path}", headers=headers)
        assert response.status_code == 401, path
        assert response.json() == {"error": f"{REOPEN_DE} / {REOPEN_EN}"}


async def test_a_removed_organiser_is_refused_at_the_next_click(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    olaf = 5151
    await bot.services.organisers.add(olaf, added_by=OLGA)
    headers = await signed_in(client, bot, olaf)
    assert (await client.get(f"{API}/live", headers=headers)).status_code == 200
    await bot.services.organisers.remove(olaf)
    refused = await client.get(f"{API}/live", headers=headers)
    assert refused.status_code == 403
    assert refused.json() == {"error": REOPEN_DE}


async def test_the_token_lives_minutes_is_renewed_while_open_and_ends_after_twelve_hours(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    headers = await signed_in(client, bot)
    bot.clock.advance(timedelta(minutes=14))
    renewed = await client.post(f"{API}/session", headers=headers)
    assert renewed.status_code == 200
    fresh = {"Authorization": f"Bearer {renewed.json()['token']}"}
    assert (await client.get(f"{API}/live", headers=headers)).status_code == 401  # the old one
    assert (await client.get(f"{API}/live", headers=fresh)).status_code == 200
    bot.clock.advance(timedelta(minutes=16))
    assert (await client.get(f"{API}/live", headers=fresh)).status_code == 401  # not renewed

    headers = await signed_in(client, bot)
    for _ in range(12 * 6 - 1):  # every ten minutes, as the open page does
        bot.clock.advance(timedelta(minutes=10))
        response = await client.post(f"{API}/session", headers=headers)
        assert response.status_code == 200
        headers = {"Authorization": f"Bearer {response.json()['token']}"}
    bot.clock.advance(timedelta(minutes=10))  # twelve hours after signing in
    assert (await client.post(f"{API}/session", headers=headers)).status_code == 401


async def test_repeated_failures_slow_down_that_address_only(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    forged = sign_init_data("999:" + "B" * 35, user_id=OLGA, auth_date=bot.clock.now())
    for _ in range(10):
        assert (await sign_in(client, forged)).status_code == 401
    slowed = await sign_in(client, launch(bot))  # even genuine launch data, for a while
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) > 0
    assert "token" not in slowed.json()
    async with client_for(bot, "127.0.0.3") as elsewhere:
        assert (await sign_in(elsewhere, launch(bot))).status_code == 200
    # Behind the trusted proxy, X-Forwarded-For names the client; from others it is ignored.
    async with client_for(bot, "127.0.0.9") as proxy:
        response = await proxy.post(
            f"{API}/signin", json={"init_data": launch(bot)},
            headers={"X-Forwarded-For": "127.0.0.2"},
        )  # fmt: skip
        assert response.status_code == 429
        response = await proxy.post(
            f"{API}/signin", json={"init_data": launch(bot)},
            headers={"X-Forwarded-For": "127.0.0.4"},
        )  # fmt: skip
        assert response.status_code == 200
    async with client_for(bot, "127.0.0.3") as untrusted:
        response = await untrusted.post(
            f"{API}/signin", json={"init_data": launch(bot)},
            headers={"X-Forwarded-For": "127.0.0.2"},
        )  # fmt: skip
        assert response.status_code == 200
    bot.clock.advance(timedelta(minutes=10))
    assert (await sign_in(client, launch(bot))).status_code == 200


# ---------------------------------------------------------------- pages


async def test_the_overview_shows_the_figures_of_statistik(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    await the_usual(bot)
    await partners(bot, 1, start=20_000)  # has not answered yet
    olga = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    await emulator.ask(olga, "/start")  # she has not answered either
    headers = await signed_in(client, bot)
    overview = (await client.get(f"{API}/overview", headers=headers)).json()
    assert overview["counts"] == {
        "confirmed": 3, "waitlisted": 0, "declined": 1, "not_answered": 2,
    }  # fmt: skip
    assert (overview["confirmed_persons"], overview["capacity"]) == (6, 150)
    assert overview["checked_in"] == {"parties": 0, "persons": 0}
    assert [persons for _, persons in overview["history"]] == [2, 3, 6]
    assert overview["feedback"] == {"count": 0, "average": None}
    assert overview["next_reminder"] == "Dienstag, 3. Juni, 17:00 Uhr"
    assert overview["pending_outbox"] == 0

    stats = await emulator.ask(olga, "/statistik")
    assert "Zusagen: 3 (6 Personen)" in stats.plain_text
    assert "Absagen: 1\nWarteliste: 0 (0 Personen)\nNoch keine Antwort: 2" in stats.plain_text


async def test_the_overview_follows_every_change_after_it_was_shown(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    people = await the_usual(bot)
    headers = await signed_in(client, bot)

    async def overview() -> dict[str, object]:
        return (await client.get(f"{API}/overview", headers=headers)).json()  # type: ignore[no-any-return]

    assert [persons for _, persons in (await overview())["history"]] == [2, 3, 6]  # type: ignore[attr-defined]
    [dora] = await partners(bot, 1, start=40_000)
    await register(bot, dora, "Dora Neu", None, 4)
    await register(bot, people["jonas"], "Jonas Müller", "Leipziger Stadtwerke", 0)
    later = await overview()
    assert [persons for _, persons in later["history"]] == [2, 3, 6, 10, 9]  # type: ignore[attr-defined]
    assert later["confirmed_persons"] == 9


async def test_the_dashboard_speaks_the_language_chosen_in_the_chat(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    olga = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    headers = await signed_in(client, bot)  # her app is German
    german = (await client.get(f"{API}/overview", headers=headers)).json()
    assert german["next_reminder"] == "Dienstag, 3. Juni, 17:00 Uhr"
    prompt = await emulator.ask(olga, "/sprache")
    emulator.click(olga, prompt, "English")
    await emulator.wait_for_edit(prompt)
    english = (await client.get(f"{API}/overview", headers=headers)).json()
    assert english["next_reminder"] == "Tuesday, 3 June, 5:00 pm"


async def test_registrations_have_status_tabs_search_filter_sorting_and_pages(
    bot: RunningBot, client: httpx.AsyncClient
) -> None:
    await the_usual(bot)
    for user_id in await partners(bot, 120, start=30_000):
        await register(bot, user_id, f"Gast {user_id}", "Verein für Gäste", 1)
    headers = await signed_in(client, bot)

    async def listing(**params: str) -> dict[str, object]:
        response = await client.get(f"{API}/registrations", params=params, headers=headers)
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    first = await listing(status="confirmed")
    assert first["counts"] == {"confirmed": 123, "declined": 1}
    assert first["total"] == 123 and len(first["rows"]) == 50  # type: ignore[arg-type]
    third = await listing(status="confirmed", page="3")
    assert len(third["rows"]) == 23  # type: ignore[arg-type]
    declined = await listing(status="declined")
    assert [row["name"] for row in declined["rows"]] == ["Cleo Declined"]  # type: ignore[attr-defined,index]
    assert (await listing())["total"] == 124

    found = await listing(status="confirmed", q="Mueler")  # a typo, as at /einlass
    assert [row["name"] for row in found["rows"]] == ["Anna Müller", "Jonas Müller"]  # type: ignore[attr-defined,index]
    stadtwerke = await listing(organisation="Leipziger Stadtwerke", sort="persons")
    assert [row["name"] for row in stadtwerke["rows"]] == [  # type: ignore[attr-defined,index]
        "Anna Müller", "Jonas Müller", "Cleo Declined",
    ]  # most persons first, then in order of registration  # fmt: skip
    assert "Universität Leipzig" in first["organisations"]  # type: ignore[operator]
    bad = await client.get(f"{API}/registrations", params={"sort": "x; drop"}, headers=headers)
    assert bad.status_code == 400


async def test_a_row_opens_its_details(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    await the_usual(bot)
    await emulator.ask(emulator.user(id=OLGA, first_name="Olga", language_code="de"), "/start")
    headers = await signed_in(client, bot)
    rows = (await client.get(f"{API}/registrations", params={"q": "Anna"}, headers=headers)).json()
    anna_id = rows["rows"][0]["id"]
    ticket = (await client.get(f"{API}/door/{anna_id}", headers=headers)).json()
    await client.post(
        f"{API}/door/{anna_id}/checkin", json={"token": ticket["token"], "persons": 2},
        headers=headers,
    )  # fmt: skip
    details = (await client.get(f"{API}/registrations/{anna_id}", headers=headers)).json()
    assert details["name"] == "Anna Müller" and details["persons"] == 2
    assert details["dietary"] == "Vegan"
    assert details["consent"] == "Montag, 2. Juni, 11:00 Uhr"
    assert details["ticket"] is True
    assert details["checked_in"] == "Montag, 2. Juni, 11:00 Uhr"
    assert (details["checked_in_by"], details["checked_in_persons"]) == ("Olga", 2)
    missing = await client.get(f"{API}/registrations/999999", headers=headers)
    assert missing.status_code == 404


async def test_export_sends_the_csv_of_export_into_the_organisers_chat(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    await the_usual(bot)
    olga = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    await emulator.ask(olga, "/start")
    headers = await signed_in(client, bot)
    mark = emulator.mark()
    response = await client.post(f"{API}/export", headers=headers)
    assert response.json() == {"sent": True}
    sent = await emulator.wait_for(olga, since=mark)
    from_command = await emulator.ask(olga, "/export")
    assert sent.document is not None and from_command.document is not None
    assert sent.document.content == from_command.document.content
    rows = list(csv.reader(io.StringIO(sent.document.content.decode("utf-8-sig"))))
    assert len(rows) == 5


async def test_the_door_checks_in_once_undoes_and_the_chat_sees_it(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    await the_usual(bot)
    olga = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    await emulator.ask(olga, "/start")
    olga_headers = await signed_in(client, bot)
    oscar_headers = await signed_in(client, bot, OSCAR)
    matches = (
        await client.get(f"{API}/door", params={"q": "schmitt"}, headers=olga_headers)
    ).json()
    [bernd] = matches["matches"]
    assert (bernd["name"], bernd["persons"]) == ("Bernd Schmidt", 3)
    card = (await client.get(f"{API}/door/{bernd['id']}", headers=olga_headers)).json()
    assert card["checked_in"] is None

    url = f"{API}/door/{bernd['id']}"
    body = {"token": card["token"], "persons": 2}
    first = await client.post(f"{url}/checkin", json=body, headers=olga_headers)
    second = await client.post(f"{url}/checkin", json=body, headers=oscar_headers)
    assert first.json()["outcome"] == "checked_in"
    assert second.json()["outcome"] == "already"  # two organisers at once count once
    assert second.json()["card"]["checked_in_by"] == "Olga"
    assert (await client.get(f"{API}/live", headers=oscar_headers)).json() == {
        "parties": 1, "persons": 2,
    }  # fmt: skip
    assert "Eingecheckt: 1 (2 Personen)" in (await emulator.ask(olga, "/statistik")).plain_text

    undone = await client.post(f"{url}/undo", json={"token": card["token"]}, headers=oscar_headers)
    assert undone.json()["outcome"] == "undone"
    again = await client.post(f"{url}/undo", json={"token": card["token"]}, headers=olga_headers)
    assert again.json()["outcome"] == "not_checked_in"
    assert (await client.get(f"{API}/live", headers=olga_headers)).json()["persons"] == 0
    assert "Eingecheckt: 0 (0 Personen)" in (await emulator.ask(olga, "/statistik")).plain_text

    forged = await client.post(
        f"{url}/checkin", json={"token": "x", "persons": 1}, headers=olga_headers
    )
    assert forged.json() == {"outcome": "invalid", "card": None}
    too_many = await client.post(
        f"{url}/checkin", json={"token": card["token"], "persons": 4}, headers=olga_headers
    )
    assert too_many.json()["outcome"] == "invalid"
    for wrong in ({"token": card["token"]}, {"token": 5, "persons": 1}, {"persons": True}):
        assert (
            await client.post(f"{url}/checkin", json=wrong, headers=olga_headers)
        ).status_code == 400


async def test_a_check_in_in_the_chat_shows_on_the_dashboard(
    bot: RunningBot, client: httpx.AsyncClient, emulator: TelegramEmulator
) -> None:
    await the_usual(bot)
    headers = await signed_in(client, bot)
    olga: User = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    card = await emulator.ask(olga, "/einlass schmitt")
    emulator.click(olga, card, "3 einchecken")
    await emulator.wait_for_edit(card)
    assert (await client.get(f"{API}/live", headers=headers)).json() == {"parties": 1, "persons": 3}
