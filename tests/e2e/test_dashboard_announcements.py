"""The dashboard's announcements through the API: the text checked as the chat checks it, the
audience with its count, sent once per key through the same outbox as /broadcast, followed,
stopped, and the undelivered recipients as CSV in the organiser's chat."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from tests.e2e.dashboard_steps import API, PAGE, assert_refused, client_for, opened_by, signed_in
from tests.harness import RunningBot, StartBot

OLGA = 4343
KEY = "k" * 32
NEWS = '<b>Neu:</b> Die Keynote beginnt um 10 Uhr. <a href="https://example.org/p">Programm</a>'
NEWS_TEXT = "Neu: Die Keynote beginnt um 10 Uhr. Programm"


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({OLGA}), dashboard_url=PAGE)


@pytest.fixture
async def client(bot: RunningBot) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bot) as client:
        yield client


@pytest.fixture
async def olga(
    client: httpx.AsyncClient, bot: RunningBot, emulator: TelegramEmulator
) -> dict[str, str]:
    return await opened_by(client, bot, emulator, OLGA, "Olga")


async def linked_partners(bot: RunningBot, emulator: TelegramEmulator) -> dict[str, User]:
    """Anna and Ben of Stadtwerke Leipzig, Cleo of Ökolöwe (English), Dora of none."""
    people = {
        name: emulator.user(first_name=name, language_code="en" if name == "Cleo" else "de")
        for name in ("Anna", "Ben", "Cleo", "Dora")
    }
    for person in people.values():
        await emulator.ask(person, "/start")
    partners = bot.services.partners
    swl = await partners.invite(OrganisationRow("Stadtwerke Leipzig"), OLGA)
    oeko = await partners.invite(OrganisationRow("Ökolöwe"), OLGA)
    for name, invite in (("Anna", swl), ("Ben", swl), ("Cleo", oeko)):
        await partners.redeem(people[name].id, invite.code)
    return people


def received(emulator: TelegramEmulator, people: dict[str, User], text: str) -> list[str]:
    return sorted(
        name
        for name, person in people.items()
        for message in emulator.messages_to(person)
        if message.plain_text == text
    )


async def organisation_id(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> int:
    data = (await client.get(f"{API}/announcements", headers=headers)).json()
    return next(o["id"] for o in data["organisations"] if o["name"] == name)  # type: ignore[no-any-return]


async def test_an_announcement_to_one_organisation_reaches_exactly_its_partners(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    people = await linked_partners(bot, emulator)
    preview = await client.post(
        f"{API}/announcements/preview", json={"texts": {"de": NEWS, "en": "<i>New</i>"}},
        headers=olga,
    )  # fmt: skip
    versions = preview.json()["versions"]
    assert versions["de"]["text"] == NEWS_TEXT
    assert versions["de"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 36, "length": 8, "url": "https://example.org/p"},
    ]
    assert versions["en"] == {
        "text": "New",
        "entities": [{"type": "italic", "offset": 0, "length": 3}],
    }

    swl = await organisation_id(client, olga, "Stadtwerke Leipzig")
    counts = (
        await client.get(f"{API}/announcements/audiences?organisations={swl}", headers=olga)
    ).json()["audiences"]
    assert {row["key"]: row["count"] for row in counts}["all"] == 2
    everyone = (await client.get(f"{API}/announcements/audiences", headers=olga)).json()
    assert {row["key"]: row["count"] for row in everyone["audiences"]}["all"] == 4

    body = {"key": KEY, "texts": {"de": NEWS}, "audience": "all", "organisations": [swl]}
    sent = await client.post(f"{API}/announcements", json=body, headers=olga)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["total"], sent.json()["again"]) == (2, False)
    assert sent.json()["audience"] == "Alle Partner · Partner von Stadtwerke Leipzig"
    await bot.settled()
    assert received(emulator, people, NEWS_TEXT) == ["Anna", "Ben"]
    [message] = [m for m in emulator.messages_to(people["Anna"]) if m.plain_text == NEWS_TEXT]
    assert {"type": "bold", "offset": 0, "length": 4} in message.entities

    progress = (await client.get(f"{API}/announcements/{sent.json()['id']}", headers=olga)).json()
    assert (progress["status"], progress["sent"], progress["pending"]) == ("done", 2, 0)
    history = (await client.get(f"{API}/announcements", headers=olga)).json()["history"]
    assert [(row["id"], row["sent"], row["total"]) for row in history] == [(1, 2, 2)]


async def test_a_double_click_sends_once(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    people = await linked_partners(bot, emulator)
    body = {"key": KEY, "texts": {"de": NEWS}, "audience": "all", "organisations": []}
    first, second = await asyncio.gather(
        client.post(f"{API}/announcements", json=body, headers=olga),
        client.post(f"{API}/announcements", json=body, headers=olga),
    )
    assert first.json()["id"] == second.json()["id"]
    assert sorted([first.json()["again"], second.json()["again"]]) == [False, True]
    retried = await client.post(f"{API}/announcements", json=body, headers=olga)
    assert (retried.json()["id"], retried.json()["again"]) == (first.json()["id"], True)
    await bot.settled()
    # One version written: everyone gets it, in whichever language they read, exactly once.
    assert received(emulator, people, NEWS_TEXT) == ["Anna", "Ben", "Cleo", "Dora"]
    assert len((await client.get(f"{API}/announcements", headers=olga)).json()["history"]) == 1


async def test_a_send_under_way_survives_a_restart(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({OLGA}), dashboard_url=PAGE)
    people = await linked_partners(bot, emulator)
    await bot.services.outbox.stop()  # nothing goes out before the "crash"
    async with client_for(bot) as client:
        headers = await signed_in(client, bot, OLGA)
        body = {"key": KEY, "texts": {"de": NEWS}, "audience": "all", "organisations": []}
        sent = await client.post(f"{API}/announcements", json=body, headers=headers)
        assert sent.json()["pending"] == 4
    await bot.stop()
    bot = await start_bot(admin_ids=frozenset({OLGA}), dashboard_url=PAGE)
    await bot.settled()
    assert received(emulator, people, NEWS_TEXT) == ["Anna", "Ben", "Cleo", "Dora"]


async def test_a_running_announcement_is_stopped_and_the_undelivered_go_into_the_chat(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    people = await linked_partners(bot, emulator)
    emulator.block(people["Dora"])
    await bot.services.outbox.stop()  # held back, so it is certainly under way at the click
    body = {"key": KEY, "texts": {"de": NEWS}, "audience": "all", "organisations": []}
    sent = (await client.post(f"{API}/announcements", json=body, headers=olga)).json()
    assert (sent["status"], sent["pending"]) == ("sending", 4)
    stopped = (await client.post(f"{API}/announcements/{sent['id']}/cancel", headers=olga)).json()
    assert (stopped["stopped"], stopped["status"], stopped["cancelled"]) == (True, "cancelled", 4)
    again = (await client.post(f"{API}/announcements/{sent['id']}/cancel", headers=olga)).json()
    assert again["stopped"] is False
    await bot.services.outbox.start(sole_sender=True)
    await bot.settled()
    assert received(emulator, people, NEWS_TEXT) == []

    second = {**body, "key": "m" * 32}
    await client.post(f"{API}/announcements", json=second, headers=olga)
    await bot.settled()
    [report, _] = (await client.get(f"{API}/announcements", headers=olga)).json()["history"]
    assert (report["sent"], report["unreachable"] + report["failed"]) == (3, 1)
    organiser = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    mark = emulator.mark()
    csv_sent = await client.post(f"{API}/announcements/{report['id']}/undelivered", headers=olga)
    assert csv_sent.json() == {"sent": True}
    document = await emulator.wait_for(organiser, since=mark)
    assert document.document is not None
    content = io.StringIO(document.document.content.decode("utf-8-sig"))
    rows = list(csv.reader(content, delimiter=";"))
    assert [row[:2] for row in rows[1:]] == [[str(people["Dora"].id), "Dora"]]


async def test_refusals_name_the_problem_and_send_nothing(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    people = await linked_partners(bot, emulator)
    url = f"{API}/announcements"
    base = {"key": KEY, "audience": "all", "organisations": []}
    for texts, expected in (
        ({"de": "<b>Neu"}, "Telegram würde diese Formatierung nicht annehmen"),
        ({"de": "1 < 2"}, "Telegram würde diese Formatierung nicht annehmen"),
        ({"de": '<a href="javascript:alert(1)">x</a>'}, "Telegram würde diese Formatierung"),
        ({"de": "   "}, "Die Nachricht ist leer."),
        ({"de": "x" * 4097}, "Der Text ist 4097 Zeichen lang; Telegram erlaubt höchstens 4096"),
    ):
        refused = await client.post(url, json={**base, "texts": texts}, headers=olga)
        assert refused.status_code == 400 and expected in refused.json()["error"], texts
    for wrong in ({"key": "short"}, {"audience": "everyone"}, {"organisations": ["x"]},
                  {"texts": {"fr": "Salut"}}):  # fmt: skip
        refused = await client.post(url, json={**base, "texts": {"de": "Hallo"}, **wrong},
                                    headers=olga)  # fmt: skip
        assert refused.status_code == 400, wrong
    nobody = await client.post(
        url, json={**base, "texts": {"de": "Hallo"}, "audience": "checked_in"}, headers=olga
    )
    assert nobody.json()["error"] == "In dieser Gruppe ist niemand. Bitte wählen Sie eine andere."
    await bot.settled()
    assert all(
        emulator.messages_to(person, since=0)[-1].plain_text != "Hallo"
        for person in people.values()
    )
    assert (await client.get(f"{url}/999", headers=olga)).status_code == 404
    # The longest texts in both languages are more than a small request: still taken.
    longest = {"de": "🎉" * 4000, "en": "<b>" + "ü" * 4000 + "</b>"}
    taken = await client.post(f"{url}/preview", json={"texts": longest}, headers=olga)
    assert taken.status_code == 200 and len(taken.json()["versions"]["en"]["text"]) == 4000


ANNOUNCEMENT_ACTIONS = [
    ("GET", "announcements"), ("POST", "announcements"), ("GET", "announcements/audiences"),
    ("POST", "announcements/preview"), ("GET", "announcements/1"),
    ("POST", "announcements/1/cancel"), ("POST", "announcements/1/undelivered"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ANNOUNCEMENT_ACTIONS)
async def test_every_announcement_action_refuses_forged_expired_and_removed_organisers(
    bot: RunningBot, client: httpx.AsyncClient, method: str, path: str, emulator: TelegramEmulator
) -> None:
    people = await linked_partners(bot, emulator)
    body = {"key": KEY, "texts": {"de": "Hallo"}, "audience": "all", "organisations": []}
    await assert_refused(client, bot, method, path, body, organiser=OLGA)
    await bot.settled()
    assert received(emulator, people, "Hallo") == []
