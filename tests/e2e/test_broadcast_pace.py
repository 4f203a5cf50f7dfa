"""An announcement under Telegram's limits: everyone gets it once, also when Telegram answers a
429 on the way, and partners asking meanwhile are answered without meeting a 429 themselves."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest

from bot.emulator import AnsweredCallback, EventKind, RateLimit, SentMessage, TelegramEmulator
from bot.registrations import RsvpAnswers
from tests.e2e.rsvp_steps import tap
from tests.e2e.test_broadcast import ORGANISER_ID, compose, final_report, preview_and_audience
from tests.harness import StartBot

ANNOUNCEMENT = "Wichtig: neue Infos"
QUESTION = "Wo findet die Konferenz statt?"
CROWD = 60
ASK_AFTER = (10, 25, 40)  # announcements delivered when each of three partners asks
FLOOD_AFTER = 20  # announcements delivered when Telegram is told to answer one with a 429


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    """Telegram's limits as they are: 30 messages a second, one a second per chat."""
    limits = RateLimit(global_per_second=30, per_chat_per_second=1, per_group_per_minute=20)
    async with TelegramEmulator(rate_limit=limits) as emulator:
        yield emulator


async def test_an_announcement_through_a_429_reaches_everyone_once_and_replies_meet_none(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    organiser = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    askers = [emulator.user(first_name=f"Frida {n}", language_code="de") for n in range(3)]
    crowd = [emulator.user(language_code="de") for _ in range(CROWD)]
    for person in (*askers, *crowd):
        emulator.send_text(person, "/start")
    for person in (*askers, *crowd):
        await emulator.wait_for(person, timeout=20)
    for asker in askers:  # registered: the announcement to those without an answer skips them
        answers = RsvpAnswers(attending=True, name=asker.first_name)
        await bot.services.registrations.submit(asker.id, answers)

    crowd_ids = [person.id for person in crowd]
    delivered: list[int] = []
    asked_at: dict[int, int] = {}  # asker -> the emulator's mark when they asked
    refused_chat: list[int] = []

    def watch(kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        """Counts the announcements; partners ask, and a 429 is set up, as they arrive."""
        if kind != "sent" or not isinstance(item, SentMessage) or item.chat_id not in crowd_ids:
            return
        if item.plain_text != ANNOUNCEMENT:
            return
        delivered.append(item.chat_id)
        if len(delivered) == FLOOD_AFTER:  # a few rows on: the next ones may be on their way
            waiting = [chat for chat in crowd_ids if chat not in delivered]
            refused_chat.append(waiting[4])
            emulator.fail_next("sendMessage", chat_id=waiting[4], error_code=429, retry_after=1)
        if len(delivered) in ASK_AFTER:
            asker = askers[ASK_AFTER.index(len(delivered))]
            asked_at[asker.id] = emulator.mark()
            emulator.send_text(asker, QUESTION)

    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser, ANNOUNCEMENT)
    )
    confirm = await tap(emulator, organiser, audience, f"Noch keine Antwort ({CROWD})")
    emulator.add_listener(watch)
    first_call = len(emulator.calls)
    emulator.click(organiser, confirm, "Jetzt senden")
    report = await final_report(emulator, organiser)

    assert f"Zugestellt: {CROWD} von {CROWD}" in report.plain_text
    assert Counter(delivered) == Counter(crowd_ids)  # everyone, and no one twice
    assert sorted(asked_at) == sorted(asker.id for asker in askers)
    for asker in askers:
        answer = await emulator.wait_for(asker, since=asked_at[asker.id], timeout=10)
        assert "Alte Handelsbörse" in answer.plain_text
    refused = [call for call in emulator.calls[first_call:] if call.status == 429]
    # The one 429 is Telegram's answer set up above: the pace provoked none of its own, and
    # no reply met one.
    assert [int(call.params["chat_id"]) for call in refused] == refused_chat
