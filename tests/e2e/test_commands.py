"""A partner meets the bot: greeting, help, programme, keynote, venue, language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import COMMANDS, ORGANISER_COMMANDS, Command
from bot.emulator import TelegramEmulator
from tests.harness import RunningBot, StartBot


async def test_start_greets_in_german_with_date_and_venue(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    reply = await emulator.ask(anna, "/start")
    assert "Guten Tag, Anna!" in reply.plain_text
    assert "Klimakonferenz der Stadt Leipzig" in reply.plain_text
    assert "Dienstag, 10. Juni 2025, 17:00–21:00 Uhr" in reply.plain_text
    assert "Alte Handelsbörse" in reply.plain_text


async def test_start_greets_in_english_for_an_english_app(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en-GB")
    reply = await emulator.ask(john, "/start")
    assert "Hello John!" in reply.plain_text
    assert "Tuesday, 10 June 2025, 5:00 pm–9:00 pm" in reply.plain_text


async def test_unknown_app_language_falls_back_to_the_default(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(default_language="en")
    pierre = emulator.user(first_name="Pierre", language_code="fr")
    reply = await emulator.ask(pierre, "/start")
    assert "Hello Pierre!" in reply.plain_text


async def test_after_the_event_the_bot_says_it_took_place(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(now=datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    anna = emulator.user(first_name="Anna")
    reply = await emulator.ask(anna, "/start")
    assert "hat am Dienstag, 10. Juni 2025 stattgefunden" in reply.plain_text
    answer = await emulator.ask(anna, "Wer hält die Keynote?")
    assert "Levermann" in answer.plain_text


async def test_help_in_both_languages_and_aliases(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    john = emulator.user(language_code="en")
    assert "/programm" in (await emulator.ask(anna, "/hilfe")).plain_text
    assert "/programme" in (await emulator.ask(john, "/help")).plain_text


@pytest.mark.parametrize("language", ["de", "en"])
async def test_help_names_every_command_and_organisers_get_theirs(
    start_bot: StartBot, emulator: TelegramEmulator, language: str
) -> None:
    organiser = emulator.user(language_code=language)
    await start_bot(admin_ids=frozenset({organiser.id}))
    partner = emulator.user(language_code=language)

    def name(command: Command) -> str:
        return f"/{command.german if language == 'de' else command.english}"

    listed = [c for c in COMMANDS if c.english not in ("start", "help", "cancel")]
    for_partner = (await emulator.ask(partner, "/help")).plain_text
    assert all(name(command) in for_partner for command in listed)
    assert not any(name(command) in for_partner for command in ORGANISER_COMMANDS)
    for_organiser = (await emulator.ask(organiser, "/help")).plain_text
    assert all(name(command) in for_organiser for command in ORGANISER_COMMANDS)


async def test_programme_lists_every_agenda_item_in_leipzig_time(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    reply = await emulator.ask(anna, "/programm")
    for slot in ("17:00–17:30 Uhr", "17:30–18:00 Uhr", "18:00–18:45 Uhr", "19:30–21:00 Uhr"):
        assert slot in reply.plain_text
    assert "Begrüßung durch Oberbürgermeister Burkhard Jung" in reply.plain_text
    john = emulator.user(language_code="en")
    reply = await emulator.ask(john, "/programme")
    assert "6:00 pm–6:45 pm" in reply.plain_text
    assert "Welcome by Lord Mayor Burkhard Jung" in reply.plain_text


async def test_keynote_card(bot: RunningBot, emulator: TelegramEmulator) -> None:
    john = emulator.user(language_code="en")
    reply = await emulator.ask(john, "/keynote")
    assert "Prof. Dr. Anders Levermann" in reply.plain_text
    assert "Potsdam Institute for Climate Impact Research" in reply.plain_text
    assert "Tuesday, 10 June 2025, 6:00 pm" in reply.plain_text


async def test_keynote_counts_down_during_the_event(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    running = await start_bot(now=datetime(2025, 6, 10, 15, 20, tzinfo=UTC))  # 17:20 in Leipzig
    anna = emulator.user(language_code="de")
    assert "beginnt in 40 Minuten" in (await emulator.ask(anna, "/keynote")).plain_text
    running.clock.set(datetime(2025, 6, 10, 16, 10, tzinfo=UTC))
    assert "läuft gerade" in (await emulator.ask(anna, "/keynote")).plain_text


async def test_venue_sends_a_map_pin_and_directions(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    mark = emulator.mark()
    emulator.send_text(anna, "/ort")
    await emulator.wait_for(anna, since=mark, count=2)
    await bot.settled()
    pin, text = emulator.messages_to(anna, since=mark)
    assert pin.method == "sendVenue"
    assert pin.venue is not None
    assert pin.venue["title"] == "Alte Handelsbörse"
    assert pin.venue["location"]["latitude"] == 51.34127
    assert "Naschmarkt 1, 04109 Leipzig" in text.plain_text
    assert "Anfahrt" in text.plain_text
    assert "Barrierefreiheit" in text.plain_text
    # Pin and text are one burst within the chat's limit: Telegram refused neither.
    assert [call for call in emulator.calls if call.status == 429] == []


async def test_language_choice_is_kept_across_a_restart(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    running = await start_bot()
    anna = emulator.user(first_name="Anna", language_code="de")
    prompt = await emulator.ask(anna, "/sprache")
    mark = emulator.mark()
    emulator.click(anna, prompt, "English")
    edit = await emulator.wait_for_edit(prompt)
    assert "in English from now on" in edit.plain_text
    assert emulator.mark() == mark  # the choice edits the prompt instead of adding a message
    await running.stop()

    await start_bot()
    assert "Hello Anna!" in (await emulator.ask(anna, "/start")).plain_text


async def test_command_menus_are_registered_per_language(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    german = [command["command"] for command in emulator.commands(language_code="de")]
    english = [command["command"] for command in emulator.commands(language_code="en")]
    assert german[:5] == ["start", "hilfe", "programm", "keynote", "ort"]
    assert english[:5] == ["start", "help", "programme", "keynote", "venue"]
    assert {"anmelden", "meine_anmeldung", "absagen", "kalender", "datenschutz"} <= set(german)
    assert {"rsvp", "myrsvp", "cancelrsvp", "calendar", "privacy"} <= set(english)
    assert emulator.commands() == emulator.commands(language_code="de")
