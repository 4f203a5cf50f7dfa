"""Organisers check partners in without a code (/checkin, /einlass), and see the door in
/stats, /export and the announcement audiences."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap
from tests.e2e.ticket_steps import press_forged_button
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4343
ENGLISH_ORGANISER_ID = 4344
AT_THE_DOOR = datetime(2025, 6, 10, 15, 42, tzinfo=UTC)  # 17:42 in Leipzig


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID, ENGLISH_ORGANISER_ID}))


@pytest.fixture
def olga(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")


async def registered(bot: RunningBot, emulator: TelegramEmulator) -> dict[str, User]:
    """Anna and Jonas Müller of the Stadtwerke (2 and 1 persons), Bernd Schmidt of the
    university (3), Cleo declined; then the conference day begins."""
    people = {name: emulator.user(first_name=name.split()[0]) for name in PARTNERS}
    for name, user in people.items():
        await emulator.ask(user, "/start")
        organisation, persons = PARTNERS[name]
        answers = RsvpAnswers(
            attending=persons > 0, name=name, organisation=organisation, persons=max(persons, 1)
        )
        await bot.services.registrations.submit(user.id, answers)
    bot.clock.set(AT_THE_DOOR)
    return people


PARTNERS = {
    "Anna Müller": ("Leipziger Stadtwerke", 2),
    "Jonas Müller": ("Leipziger Stadtwerke", 1),
    "Bernd Schmidt": ("Universität Leipzig", 3),
    "Cleo Declined": ("Leipziger Stadtwerke", 0),
}


async def check_in(emulator: TelegramEmulator, olga: User, card: SentMessage, button: str) -> str:
    emulator.click(olga, card, button)
    return (await emulator.wait_for_edit(card)).plain_text


async def test_a_clear_match_shows_the_card_at_once_despite_a_typo(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    await registered(bot, emulator)
    card = await emulator.ask(olga, "/einlass schmitt")
    assert "Bernd Schmidt" in card.plain_text
    assert "Organisation: Universität Leipzig" in card.plain_text
    assert card.button_texts == ["1 einchecken", "2 einchecken", "3 einchecken"]
    done = await check_in(emulator, olga, card, "3 einchecken")
    assert done == "✅ Bernd Schmidt ist eingecheckt – um 17:42 Uhr: 3 von 3 Personen."


async def test_an_ambiguous_search_offers_the_candidates_as_buttons(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    await registered(bot, emulator)
    choice = await emulator.ask(olga, "/checkin Mueller")
    assert "Mehrere Anmeldungen passen zu „Mueller“" in choice.plain_text
    assert choice.button_texts == [
        "Anna Müller · Leipziger Stadtwerke (2)",
        "Jonas Müller · Leipziger Stadtwerke (1)",
    ]  # Cleo declined: not at the door
    card = await tap(emulator, olga, choice, "Jonas Müller")
    assert "Jonas Müller" in card.plain_text and card.button_texts == ["1 einchecken"]
    assert "Jonas Müller ist eingecheckt" in await check_in(emulator, olga, card, "1 einchecken")

    again = await tap(emulator, olga, choice, "Jonas Müller")
    assert "bereits eingecheckt – um 17:42 Uhr von Olga" in again.plain_text


async def test_no_match_and_no_query_get_friendly_answers(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    await registered(bot, emulator)
    nobody = await emulator.ask(olga, "/einlass <b>Xaver</b>")
    assert "Niemand mit bestätigter Anmeldung passt zu „<b>Xaver</b>“" in nobody.plain_text
    usage = await emulator.ask(olga, "/einlass")
    assert "/einlass Müller" in usage.plain_text


async def test_search_in_english(bot: RunningBot, emulator: TelegramEmulator) -> None:
    await registered(bot, emulator)
    oscar = emulator.user(id=ENGLISH_ORGANISER_ID, first_name="Oscar", language_code="en")
    assert "/checkin Müller" in (await emulator.ask(oscar, "/checkin")).plain_text
    nobody = await emulator.ask(oscar, "/checkin Xaver")
    assert "Nobody with a confirmed registration matches “Xaver”" in nobody.plain_text
    card = await emulator.ask(oscar, "/checkin stadtwerke anna")
    assert "How many persons are checking in?" in card.plain_text
    done = await check_in(emulator, oscar, card, "Check in 2")
    assert done == "✅ Anna Müller is checked in – at 5:42 pm: 2 of 2 persons."


async def test_partners_cannot_search_or_check_in(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    people = await registered(bot, emulator)
    anna = people["Anna Müller"]
    refusal = await emulator.ask(anna, "/einlass Schmidt")
    assert refusal.plain_text == "Diese Funktion steht nur dem Orga-Team zur Verfügung."
    bernd = await bot.services.checkin.find("Bernd Schmidt")
    mark = emulator.mark()
    press_forged_button(emulator, anna, f"cs:{bernd.matches[0].registration_id}")
    answer = await emulator.wait_for(anna, since=mark)
    assert answer.plain_text == "Diese Funktion steht nur dem Orga-Team zur Verfügung."
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == [answer]
    assert all("Bernd" not in message.plain_text for message in emulator.messages_to(anna))


async def checked_in_via_search(
    emulator: TelegramEmulator, olga: User, query: str, button: str
) -> None:
    card = await emulator.ask(olga, f"/einlass {query}")
    assert "eingecheckt" in await check_in(emulator, olga, card, button)


async def test_stats_and_export_show_the_door(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    await registered(bot, emulator)
    await checked_in_via_search(emulator, olga, "Bernd Schmidt", "2 einchecken")
    await checked_in_via_search(emulator, olga, "Anna Müller", "2 einchecken")

    stats = await emulator.ask(olga, "/statistik")
    assert "Zusagen: 3 (6 Personen)" in stats.plain_text
    assert "Eingecheckt: 2 (4 Personen)" in stats.plain_text
    assert "Bewertungen: noch keine" in stats.plain_text

    export = await emulator.ask(olga, "/export")
    assert export.document is not None and export.document.content is not None
    header, *rows = csv.reader(
        io.StringIO(export.document.content.decode("utf-8-sig")), delimiter=";"
    )
    assert header[-4:] == [
        "Eingecheckt um",
        "Eingecheckte Personen",
        "Bewertung (Sterne)",
        "Kommentar",
    ]
    by_name = {row[0]: row[-4:] for row in rows}
    assert by_name["Bernd Schmidt"] == ["2025-06-10 17:42", "2", "", ""]
    assert by_name["Anna Müller"][:2] == ["2025-06-10 17:42", "2"]
    assert by_name["Jonas Müller"] == ["", "", "", ""]


@pytest.mark.parametrize(
    ("button", "reached"),
    [
        ("Eingecheckt (1)", {"Bernd Schmidt"}),
        ("Noch nicht eingecheckt (2)", {"Anna Müller", "Jonas Müller"}),
    ],
)
async def test_announcements_reach_those_checked_in_or_those_missing(
    bot: RunningBot, emulator: TelegramEmulator, olga: User, button: str, reached: set[str]
) -> None:
    people = await registered(bot, emulator)
    await checked_in_via_search(emulator, olga, "Bernd Schmidt", "3 einchecken")
    await emulator.ask(olga, "/rundschreiben")
    question = await emulator.ask(olga, "Die Folien der Keynote: https://example.org/folien")
    mark = emulator.mark()
    emulator.click(olga, question, "Eine Fassung für alle")
    audience = await emulator.wait_for(
        olga, since=mark, predicate=lambda message: button in message.button_texts
    )
    confirm = await tap(emulator, olga, audience, button)
    mark = emulator.mark()
    emulator.click(olga, confirm, "Jetzt senden")
    for name in reached:
        received = await emulator.wait_for(people[name], since=mark)
        assert "Folien der Keynote" in received.plain_text
    await bot.settled()
    for name in people.keys() - reached:
        assert emulator.messages_to(people[name], since=mark) == []


async def test_a_wrong_check_in_is_undone_from_the_card_and_done_again_right(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    await registered(bot, emulator)
    card = await emulator.ask(olga, "/einlass schmitt")
    assert await check_in(emulator, olga, card, "1 einchecken") == (
        "✅ Bernd Schmidt ist eingecheckt – um 17:42 Uhr: 1 von 3 Personen."
    )
    assert card.button_texts == ["Einchecken rückgängig machen"]
    assert "Eingecheckt: 1 (1 Personen)" in (await emulator.ask(olga, "/statistik")).plain_text

    undone = await check_in(emulator, olga, card, "Einchecken rückgängig machen")
    assert undone.startswith("↩️ Das Einchecken wurde rückgängig gemacht.")
    assert "Bernd Schmidt" in undone
    assert card.button_texts == ["1 einchecken", "2 einchecken", "3 einchecken"]
    assert "Eingecheckt: 0 (0 Personen)" in (await emulator.ask(olga, "/statistik")).plain_text

    assert "3 von 3 Personen" in await check_in(emulator, olga, card, "3 einchecken")
    assert await bot.services.checkin.figures() == (1, 3)
