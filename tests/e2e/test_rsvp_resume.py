"""A registration outlives restarts and timeouts: the timeout comes back with the bot, and a tap
on the question of a registration that timed out offers to start again, while an older button or
someone else's only gets a note. (A crash right after a question: tests/e2e/test_processes.py.)
"""

from __future__ import annotations

from datetime import timedelta

from bot.emulator import TelegramEmulator
from tests.conftest import BEFORE_EVENT
from tests.e2e.rsvp_steps import tap
from tests.harness import StartBot

STALE = "Diese Schaltfläche ist nicht mehr aktiv."


async def test_a_tap_on_a_timed_out_registration_offers_to_start_again(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(conversation_timeout=0.5)
    anna = emulator.user(language_code="de")
    mark = emulator.mark()
    question = await emulator.ask(anna, "/anmelden")
    await emulator.wait_for(anna, since=mark, count=2)  # the question, then the timeout note

    offer = await tap(emulator, anna, question, "Ja, ich komme")
    assert offer.plain_text.startswith("Diese Anmeldung wurde unterbrochen")
    assert offer.button_texts == ["🔄 Neu beginnen"]
    assert question.edits and not question.edits[-1].reply_markup  # its buttons are gone
    again = await tap(emulator, anna, offer, "Neu beginnen")
    assert "Nehmen Sie an der" in again.plain_text
    assert "Wie ist Ihr Name?" in (await tap(emulator, anna, again, "Ja, ich komme")).plain_text


async def test_older_and_foreign_buttons_of_a_timed_out_registration_only_get_a_note(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(conversation_timeout=60)
    anna = emulator.user(language_code="de")
    mallory = emulator.user(language_code="de")
    older = await emulator.ask(anna, "/anmelden")
    latest = await emulator.ask(anna, "/anmelden")
    await first.stop()
    mark = emulator.mark()
    await start_bot(now=BEFORE_EVENT + timedelta(minutes=2), conversation_timeout=60)
    assert "abgelaufen" in (await emulator.wait_for(anna, since=mark)).plain_text

    after_note = emulator.mark()
    for query in (
        emulator.click(anna, older, "Ja, ich komme"),
        emulator.click(mallory, latest, "Ja, ich komme"),
    ):
        assert (await emulator.wait_for_answer(query)).text == STALE
    # Anna's latest question still offers to start again; that answer is the sync point.
    offer = await tap(emulator, anna, latest, "Ja, ich komme")
    assert offer.plain_text.startswith("Diese Anmeldung wurde unterbrochen")
    assert [m for m in emulator.sent[after_note:] if m is not offer] == []


async def test_a_timeout_that_ran_out_while_the_bot_was_down_is_told_at_start(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(conversation_timeout=60)
    john = emulator.user(language_code="en")
    question = await emulator.ask(john, "/rsvp")
    await first.stop()

    mark = emulator.mark()
    await start_bot(now=BEFORE_EVENT + timedelta(minutes=2), conversation_timeout=60)
    note = await emulator.wait_for(john, since=mark)
    assert note.plain_text.startswith("Your registration timed out")
    offer = await tap(emulator, john, question, "Yes, I'll come")
    assert offer.plain_text.startswith("This registration was interrupted")
    again = await tap(emulator, john, offer, "Start again")
    assert "Will you attend" in again.plain_text


async def test_a_restored_conversation_times_out_when_its_time_is_up_unless_answered(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot(conversation_timeout=60)
    anna = emulator.user(language_code="de")
    ben = emulator.user(language_code="de")
    await emulator.ask(anna, "/anmelden")
    ben_question = await emulator.ask(ben, "/anmelden")
    await first.stop()

    # 57 of the 60 seconds had passed: three are left after the restart.
    mark = emulator.mark()
    await start_bot(now=BEFORE_EVENT + timedelta(seconds=57), conversation_timeout=60)
    asking_name = await tap(emulator, ben, ben_question, "Ja, ich komme")
    assert "Wie ist Ihr Name?" in asking_name.plain_text
    note = await emulator.wait_for(anna, since=mark, timeout=10)
    assert "nach 30 Minuten ohne Antwort abgelaufen" in note.plain_text
    # Ben answered in time, which cancelled his restored timeout: his conversation goes on.
    assert "Organisation" in (await emulator.ask(ben, "Ben Beispiel")).plain_text
    assert "Mit wie vielen Personen" in (await emulator.ask(ben, "Stadtbibliothek")).plain_text
    assert not [m for m in emulator.messages_to(ben) if "abgelaufen" in m.plain_text]
