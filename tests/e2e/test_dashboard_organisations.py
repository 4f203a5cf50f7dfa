"""The dashboard's organisations page through its API, against the real services: the same rules
as /invite, /invites, /revoke and /edit_organisation, and the chat sees every change."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import TelegramEmulator
from bot.registration.service import RsvpAnswers
from tests.e2e.dashboard_steps import API, PAGE, assert_refused, client_for, partners, signed_in
from tests.harness import RunningBot, StartBot

OLGA, OSCAR = 4343, 4344  # organisers (ADMIN_IDS)


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({OLGA, OSCAR}), dashboard_url=PAGE)


@pytest.fixture
async def client(bot: RunningBot) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bot) as client:
        yield client


@pytest.fixture
async def olga(client: httpx.AsyncClient, bot: RunningBot) -> dict[str, str]:
    return await signed_in(client, bot, OLGA)


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: object
) -> dict[str, object]:
    response = await client.post(f"{API}/organisations", json=fields, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def listed(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, dict]:  # type: ignore[type-arg]
    response = await client.get(f"{API}/organisations", headers=headers)
    assert response.status_code == 200
    return {row["name"]: row for row in response.json()["organisations"]}


async def register(
    bot: RunningBot, user_id: int, name: str, persons: int, organisation: str | None = None
) -> None:
    """As the conversation does: the organisation of the partner's invite."""
    answers = RsvpAnswers(attending=True, name=name, organisation=organisation, persons=persons)
    await bot.services.registrations.submit(user_id, answers)


async def test_an_organisation_shows_places_partners_and_its_links(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str]
) -> None:
    made = await create(
        client, olga, name="Stadtwerke Leipzig", kind="utility", contacts="Frau Berg",
        places="5", uses="3", days="14",
    )  # fmt: skip
    assert made["new"] is True
    assert made["url"] == f"https://t.me/{bot.application.bot.username}?start={made['code']}"
    anna, jonas = await partners(bot, 2)
    for partner in (anna, jonas):
        assert (await bot.services.partners.redeem(partner, str(made["code"]))).organisation
    await register(bot, anna, "Anna Berg", 3)
    await register(bot, jonas, "Jonas Berg", 2)

    row = (await listed(client, olga))["Stadtwerke Leipzig"]
    assert (row["kind"], row["contacts"], row["persons_allowed"]) == ("utility", "Frau Berg", 5)
    assert (row["confirmed_persons"], row["waitlisted_persons"], row["persons_held"]) == (5, 0, 5)
    assert (row["partners"], row["registrations"]) == (2, 2)
    [link] = row["links"]
    assert (link["uses"], link["max_uses"], link["uses_left"], link["valid"]) == (2, 3, 1, True)
    assert link["expires"] == "Montag, 16. Juni, 11:00 Uhr"  # 14 days after now, Berlin time
    assert (row["never_opened"], row["nobody_registered"]) == (False, False)


async def test_creating_refuses_bad_input_in_the_organisers_words(
    client: httpx.AsyncClient, olga: dict[str, str]
) -> None:
    for fields, expected in (
        ({"name": " "}, "Bitte geben Sie"),
        ({"name": "Ökolöwe", "uses": "0"}, "„uses=0“: Bitte eine ganze Zahl von 1 bis 10000."),
        ({"name": "Ökolöwe", "places": "x"}, "„x“: Bitte eine ganze Zahl von 0 bis 1000"),
        ({"name": "Ö" * 201}, "Der Name ist zu lang (höchstens 200 Zeichen)."),
    ):
        response = await client.post(f"{API}/organisations", json=fields, headers=olga)
        assert response.status_code == 400, fields
        assert expected in response.json()["error"], response.json()
    assert await listed(client, olga) == {}


async def test_a_revoked_link_is_refused_at_start_and_linked_partners_stay(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    made = await create(client, olga, name="Ökolöwe")
    anna = emulator.user(first_name="Anna", language_code="de")
    await emulator.ask(anna, f"/start {made['code']}")
    oscar = await signed_in(client, bot, OSCAR)

    first = await client.post(f"{API}/invites/revoke", json={"code": made["code"]}, headers=olga)
    second = await client.post(f"{API}/invites/revoke", json={"code": made["code"]}, headers=oscar)
    assert first.json() == {"organisation": "Ökolöwe", "revoked": 1}
    assert second.json() == {"organisation": "Ökolöwe", "revoked": 0}  # both at once: one revokes

    ben = emulator.user(first_name="Ben", language_code="de")
    refused = await emulator.ask(ben, f"/start {made['code']}")
    assert refused.plain_text.startswith("Dieser Einladungslink ist abgelaufen.")
    assert await bot.services.partners.organisation_of(ben.id) is None
    linked = await bot.services.partners.organisation_of(anna.id)
    assert linked is not None and linked.name == "Ökolöwe"
    [link] = (await listed(client, olga))["Ökolöwe"]["links"]
    assert link["valid"] is False and link["revoked"] == "Montag, 2. Juni, 11:00 Uhr"

    for code in ("short", 5, None):
        bad = await client.post(f"{API}/invites/revoke", json={"code": code}, headers=olga)
        assert bad.status_code == 400
    unknown = await client.post(f"{API}/invites/revoke", json={"code": "A" * 22}, headers=olga)
    assert unknown.status_code == 404


async def test_editing_refuses_fewer_places_than_held_and_a_new_name_shows_everywhere(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str]
) -> None:
    made = await create(client, olga, name="Stadtwerke Leipzig", places="6")
    await create(client, olga, name="Ökolöwe")
    [anna] = await partners(bot, 1)
    await bot.services.partners.redeem(anna, str(made["code"]))
    await register(bot, anna, "Anna Berg", 4, "Stadtwerke Leipzig")
    organisation_id = (await listed(client, olga))["Stadtwerke Leipzig"]["id"]
    url = f"{API}/organisations/{organisation_id}"

    refused = await client.post(url, json={"places": "3"}, headers=olga)
    assert refused.status_code == 409
    assert refused.json()["error"] == (
        "Für Stadtwerke Leipzig sind schon 4 Personen angemeldet (bestätigt oder auf der "
        "Warteliste); 3 Plätze wären zu wenig. Nichts wurde geändert."
    )
    assert (refused.json()["allowed"], refused.json()["held"]) == (3, 4)
    taken = await client.post(url, json={"name": "ökolöwe"}, headers=olga)
    assert taken.status_code == 409 and "Es gibt schon eine Organisation" in taken.json()["error"]
    assert (await client.post(url, json={}, headers=olga)).status_code == 400

    changed = await client.post(
        url,
        json={"name": "Leipziger Stadtwerke", "kind": "Versorger", "contacts": "", "places": "4"},
        headers=olga,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["persons_allowed"]) == (
        "Leipziger Stadtwerke",
        4,
    )
    rows = (await client.get(f"{API}/registrations", headers=olga)).json()["rows"]
    assert [row["organisation"] for row in rows] == ["Leipziger Stadtwerke"]
    unlimited = await client.post(url, json={"places": ""}, headers=olga)
    assert unlimited.json()["persons_allowed"] is None
    gone = await client.post(f"{API}/organisations/99999", json={"kind": "x"}, headers=olga)
    assert gone.status_code == 404


async def test_the_csv_import_is_all_or_nothing_and_the_links_go_into_the_chat(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    organiser = emulator.user(id=OLGA, first_name="Olga", language_code="de")
    await emulator.ask(organiser, "/start")
    bad = "Name;Personen\nStadtwerke Leipzig;5\nÖkolöwe;viele\n".encode()
    refused = await client.post(
        f"{API}/organisations/import", files={"file": ("orgs.csv", bad, "text/csv")}, headers=olga
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == (
        "Zeile 3: „viele“ ist keine gültige Zahl. Nichts wurde importiert."
    )
    assert await listed(client, olga) == {}  # the good first line was not imported either

    good = "Name;Art;Personen\nStadtwerke Leipzig;Versorger;5\nÖkolöwe;Verein;\n".encode()
    mark = emulator.mark()
    imported = await client.post(
        f"{API}/organisations/import", files={"file": ("orgs.csv", good, "text/csv")}, headers=olga
    )
    assert imported.json() == {"imported": 2, "new": 2, "sent": True}
    sent = await emulator.wait_for(organiser, since=mark)
    assert sent.document is not None
    assert sent.plain_text == "2 Organisationen importiert (2 neu), je mit neuem Einladungslink."
    rows = list(csv.reader(io.StringIO(sent.document.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Stadtwerke Leipzig", "Ökolöwe"]
    assert set(await listed(client, olga)) == {"Stadtwerke Leipzig", "Ökolöwe"}

    mark = emulator.mark()
    links = await client.post(f"{API}/invites/csv", headers=olga)
    assert links.json() == {"sent": True}
    from_dashboard = await emulator.wait_for(organiser, since=mark)
    from_command = await emulator.ask(organiser, "/einladungen")
    assert from_dashboard.document is not None and from_command.document is not None
    assert from_dashboard.document.content == from_command.document.content

    no_file = await client.post(f"{API}/organisations/import", data={"x": "1"}, headers=olga)
    assert no_file.status_code == 400


async def test_who_has_not_come_yet_and_one_organisations_partners(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    silent = await create(client, olga, name="Ökolöwe", contacts="info@oekoloewe.de")
    linked = await create(client, olga, name="Stadtwerke Leipzig")
    await create(client, olga, name="Universität Leipzig")
    anna, ben = await partners(bot, 2)
    for partner in (anna, ben):
        await bot.services.partners.redeem(partner, str(linked["code"]))
    [uni_partner] = await partners(bot, 1, start=20_000)
    uni = (await listed(client, olga))["Universität Leipzig"]
    await bot.services.partners.redeem(uni_partner, uni["links"][0]["code"])
    await register(bot, uni_partner, "Ulla Uni", 2)

    missing = (await client.get(f"{API}/organisations/missing", headers=olga)).json()
    [never] = missing["never_opened"]
    assert (never["name"], never["contacts"]) == ("Ökolöwe", "info@oekoloewe.de")
    assert [link["url"] for link in never["links"]] == [silent["url"]]
    assert [row["name"] for row in missing["nobody_registered"]] == ["Stadtwerke Leipzig"]

    ticket = await bot.services.checkin.ticket_of(uni_partner)
    assert ticket is not None
    await bot.services.checkin.check_in(ticket.registration_id, ticket.token, 2, OLGA)
    details = (await client.get(f"{API}/organisations/{uni['id']}", headers=olga)).json()
    [person] = details["partners"]
    assert (person["name"], person["status"], person["persons"]) == (
        "Partner 20000",
        "confirmed",
        2,
    )
    assert (person["checked_in"], person["checked_in_persons"]) == ("Montag, 2. Juni, 11:00 Uhr", 2)
    stadtwerke = (await listed(client, olga))["Stadtwerke Leipzig"]["id"]
    people = (await client.get(f"{API}/organisations/{stadtwerke}", headers=olga)).json()
    assert [p["status"] for p in people["partners"]] == [None, None]
    assert (await client.get(f"{API}/organisations/99999", headers=olga)).status_code == 404


ORGANISATION_ACTIONS = [
    ("GET", "organisations"), ("POST", "organisations"), ("GET", "organisations/missing"),
    ("POST", "organisations/import"), ("GET", "organisations/1"), ("POST", "organisations/1"),
    ("POST", "invites/revoke"), ("POST", "invites/csv"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ORGANISATION_ACTIONS)
async def test_every_action_refuses_forged_expired_and_removed_organisers(
    bot: RunningBot, client: httpx.AsyncClient, method: str, path: str
) -> None:
    body = {"name": "Ökolöwe", "code": "A" * 22, "places": "3"}
    await assert_refused(client, bot, method, path, body, organiser=OLGA)
    assert await bot.services.partners.overview() == []  # nothing was created on the way
