"""A registration outlives restarts: its timeout comes back with the bot.
(A crash right after a question: tests/e2e/test_processes.py.)
"""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import TelegramEmulator
from tests.conftest import BEFORE_EVENT
from tests.e2e.rsvp_steps import tap
from tests.harness import StartBot


async def test_a_timeout_that_ran_out_while_the_bot_was_down_is_told_at_start(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(conversation_timeout=60)
    john = emulator.user(language_code="en")
    await emulator.ask(john, "/rsvp")
    await first.stop()

    mark = emulator.mark()
    await start_bot(now=BEFORE_EVENT + timedelta(minutes=2), conversation_timeout=60)
    note = await emulator.wait_for(john, since=mark)
    assert note.plain_text.startswith("Your registration timed out")


async def test_a_restored_conversation_times_out_when_its_time_is_up_unless_answered(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(conversation_timeout=60)
    anna = emulator.user(language_code="de")
    ben = emulator.user(language_code="de")
    await emulator.ask(anna, "/anmelden")
    ben_question = await emulator.ask(ben, "/anmelden")
    await first.stop()

    # 59 of the 60 seconds had passed: one is left after the restart.
    mark = emulator.mark()
    await start_bot(now=BEFORE_EVENT + timedelta(seconds=59), conversation_timeout=60)
    asking_name = await tap(emulator, ben, ben_question, "Ja, ich komme")
    assert "Wie ist Ihr Name?" in asking_name.plain_text
    note = await emulator.wait_for(anna, since=mark, timeout=10)
    assert "nach 30 Minuten ohne Antwort abgelaufen" in note.plain_text
    # Ben answered in time, which cancelled his restored timeout: his conversation goes on.
    assert "Organisation" in (await emulator.ask(ben, "Ben Beispiel")).plain_text
    assert "Mit wie vielen Personen" in (await emulator.ask(ben, "Stadtbibliothek")).plain_text
    assert not [m for m in emulator.messages_to(ben) if "abgelaufen" in m.plain_text]
