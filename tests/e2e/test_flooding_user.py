"""A user sending far faster than anyone types gets one notice; everyone else is answered."""

from __future__ import annotations

import pytest

from bot.emulator import TelegramEmulator
from tests.harness import RunningBot, StartBot

NOTICE_DE = "Das geht mir gerade zu schnell"
# Fewer than the default 20 updates in 10 seconds: Telegram lets the bot answer a chat about
# once a second after a burst of three, so twenty answers would take the test twenty seconds.
FLOOD_LIMIT = 3
# What goes beyond the burst, the notice included, goes out at one message a second.
FLOODER_WAIT = 10.0


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(flood_max_updates=FLOOD_LIMIT)


async def test_a_flooding_user_gets_one_notice_and_others_are_still_answered(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    john = emulator.user(first_name="John", language_code="en")
    for number in range(30):
        emulator.send_text(anna, "Wann beginnt die Keynote?")
        if number % 10 == 0:
            emulator.send_text(john, "Where is the venue?")

    await emulator.wait_for(john, count=3)  # answered while Anna's answers still trickle out
    notice = await emulator.wait_for(
        anna, predicate=lambda m: NOTICE_DE in m.plain_text, timeout=FLOODER_WAIT
    )
    assert "langsamer" in notice.plain_text
    await bot.settled()

    to_anna = [m.plain_text for m in emulator.messages_to(anna)]
    answers = [text for text in to_anna if "Levermann" in text]
    notices = [text for text in to_anna if NOTICE_DE in text]
    assert len(answers) == FLOOD_LIMIT
    assert len(notices) == 1
    assert len(to_anna) == len(answers) + 1  # the dropped ones got nothing at all
    assert to_anna[-1] == notices[0]  # nothing answered after the notice
    to_john = emulator.messages_to(john)
    assert len(to_john) == 3
    assert all("Naschmarkt" in m.plain_text for m in to_john)


async def test_the_notice_comes_in_the_users_language(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    for _ in range(FLOOD_LIMIT + 5):
        emulator.send_text(john, "/programme")
    notice = await emulator.wait_for(
        john, predicate=lambda m: "too fast" in m.plain_text, timeout=FLOODER_WAIT
    )
    assert "slow down" in notice.plain_text
