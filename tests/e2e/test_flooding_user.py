"""A user sending far faster than anyone types gets one notice; everyone else is answered."""

from __future__ import annotations

import asyncio

from bot.emulator import TelegramEmulator
from tests.harness import RunningBot

NOTICE_DE = "Das geht mir gerade zu schnell"


async def settled(emulator: TelegramEmulator, bot: RunningBot) -> None:
    """Until the bot fetched every update and sent nothing more for half a second."""
    for _ in range(200):
        before = len(emulator.sent)
        await asyncio.sleep(0.5)
        if (
            emulator.pending_updates == 0
            and bot.application.update_queue.empty()
            and len(emulator.sent) == before
        ):
            return
    raise AssertionError("the bot never settled")


async def test_a_flooding_user_gets_one_notice_and_others_are_still_answered(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    john = emulator.user(first_name="John", language_code="en")
    for number in range(30):
        emulator.send_text(anna, "Wann beginnt die Keynote?")
        if number % 10 == 0:
            emulator.send_text(john, "Where is the venue?")

    notice = await emulator.wait_for(anna, predicate=lambda m: NOTICE_DE in m.plain_text)
    assert "langsamer" in notice.plain_text
    await emulator.wait_for(john, count=3)
    await settled(emulator, bot)

    to_anna = [m.plain_text for m in emulator.messages_to(anna)]
    answers = [text for text in to_anna if "Levermann" in text]
    notices = [text for text in to_anna if NOTICE_DE in text]
    assert 1 <= len(answers) <= 20
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
    for _ in range(25):
        emulator.send_text(john, "/programme")
    notice = await emulator.wait_for(john, predicate=lambda m: "too fast" in m.plain_text)
    assert "slow down" in notice.plain_text
