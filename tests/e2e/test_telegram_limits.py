"""The bot's real bursts go through under Telegram's flood limits without a 429 reaching anyone.

The shared emulator enforces them (tests/conftest.py): per private chat a burst of 3 refilled
at one a second, 20 a minute per group, 30 a second overall. The venue's pin and directions
are checked the same way in test_commands.py.
"""

from __future__ import annotations

from bot.emulator import TelegramEmulator
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register, tap
from tests.harness import RunningBot

QUESTIONS = 10  # with their ten notes, within Telegram's 30 messages a second


def rejected(emulator: TelegramEmulator, chat_id: int) -> list[int]:
    """The statuses of the bot's sends to the chat that Telegram refused for flooding."""
    return [
        call.status
        for call in emulator.calls
        if call.status == 429 and str(call.params.get("chat_id")) == str(chat_id)
    ]


async def test_confirmation_calendar_and_ticket_fit_the_chats_burst(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    summary = await register(emulator, anna)
    mark = emulator.mark()
    confirmation = await tap(emulator, anna, summary, "Bestätigen")
    assert "Sie sind angemeldet" in confirmation.plain_text
    await emulator.wait_for(anna, since=mark, count=3)
    await bot.settled()
    burst = emulator.messages_to(anna, since=mark)
    assert [message.method for message in burst] == ["sendMessage", "sendDocument", "sendPhoto"]
    assert burst[1].document is not None and burst[1].document.filename.endswith(".ics")
    assert burst[2].photo is not None  # the ticket
    assert rejected(emulator, anna.id) == []


async def test_a_round_of_questions_reaches_the_organisers_group_at_once(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    """Ten partners ask at the same moment: ten notes and ten relays, all at once, within the
    group's 20 a minute and the 30 a second overall, and not one 429."""
    partners = [emulator.user(language_code="de") for _ in range(QUESTIONS)]
    for partner in partners:
        await emulator.ask(partner, "/start")
    mark = emulator.mark()
    for number, partner in enumerate(partners):
        emulator.send_text(partner, f"Gibt es Ladestationen für Lastenräder Nummer {number}?")
    for partner in partners:
        note = await emulator.wait_for(partner, since=mark)
        assert "an das Orga-Team weitergeleitet" in note.plain_text
    await emulator.wait_for(ORGANISERS_CHAT.id, since=mark, count=QUESTIONS)
    await bot.settled()
    relays = emulator.messages_to(ORGANISERS_CHAT, since=mark)
    assert len(relays) == QUESTIONS
    for number in range(QUESTIONS):
        assert any(f"Nummer {number}?" in relay.plain_text for relay in relays)
    assert all(len(emulator.messages_to(partner, since=mark)) == 1 for partner in partners)
    assert emulator.stats.rejected_429 == 0
