"""A new partner's first message is answered before they are written down; nothing is lost."""

from __future__ import annotations

from bot.emulator import TelegramEmulator, User
from storage.database import Database
from tests.e2e.rsvp_steps import tap
from tests.harness import StartBot


async def stored_user(database_url: str, user: User) -> dict[str, object] | None:
    """The user's row as another process would read it (after the bot stopped)."""
    database = Database(database_url)
    try:
        async with database.transaction() as repositories:
            row = await repositories.users.get(user.id)
            return None if row is None else {"first_name": row.first_name}
    finally:
        await database.close()


async def anna_chose_english(start_bot: StartBot, emulator: TelegramEmulator) -> User:
    """A running bot and Anna, whose app is German, having chosen English with /sprache."""
    await start_bot()
    anna = emulator.user(first_name="Anna", language_code="de")
    prompt = await emulator.ask(anna, "/sprache")
    emulator.click(anna, prompt, "English")
    await emulator.wait_for_edit(prompt)
    return anna


async def test_a_new_partner_answered_just_before_a_stop_is_recorded(
    start_bot: StartBot, emulator: TelegramEmulator, database_url: str
) -> None:
    running = await start_bot()
    anna = emulator.user(first_name="Anna", language_code="de")
    answer = await emulator.ask(anna, "Wann beginnt die Keynote?")
    assert "Anders Levermann" in answer.plain_text
    await running.stop()  # at once: the visit may not be written yet
    assert await stored_user(database_url, anna) == {"first_name": "Anna"}


async def test_a_new_partner_who_erases_everything_at_once_stays_erased(
    start_bot: StartBot, emulator: TelegramEmulator, database_url: str
) -> None:
    running = await start_bot()
    bert = emulator.user(first_name="Bert", language_code="de")
    question = await emulator.ask(bert, "/daten_loeschen")  # the first contact
    erased = await tap(emulator, bert, question, "Ja, alles löschen")
    assert "gelöscht" in erased.plain_text
    await running.stop()
    assert await stored_user(database_url, bert) is None


async def test_a_language_choice_applies_to_the_next_answer(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    anna = await anna_chose_english(start_bot, emulator)
    answer = await emulator.ask(anna, "Wo findet die Konferenz statt?")
    assert "Getting there" in answer.plain_text


async def test_erasing_forgets_the_language_choice_too(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    anna = await anna_chose_english(start_bot, emulator)
    question = await emulator.ask(anna, "/deletemydata")
    await tap(emulator, anna, question, "Yes, delete everything")
    answer = await emulator.ask(anna, "Wo findet die Konferenz statt?")
    assert "Anfahrt" in answer.plain_text  # her app's language again
