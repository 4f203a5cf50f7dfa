"""RETENTION_DAYS after the event, partners' data goes by itself; organisers and counts stay."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock
from bot.emulator import TelegramEmulator, User
from handlers.privacy import RETENTION_JOB
from handlers.registration.conversation import RUN
from storage.models import EventRecord
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register_and_confirm, tap
from tests.harness import RunningBot, StartBot

CUTOFF = datetime(2025, 7, 10, 19, 0, tzinfo=UTC)  # the shipped event ends 10 June, 19:00 UTC
ADMIN_ID = 777


async def tables_with_rows(bot: RunningBot, user: User | int) -> set[str]:
    user_id = user if isinstance(user, int) else user.id
    async with bot.services.database.transaction() as repositories:
        rows = await repositories.personal_data.rows_of(user_id)
    return {table for table, table_rows in rows.items() if table_rows}


async def seats_counted(bot: RunningBot) -> tuple[int, int]:
    """The anonymous figures: confirmed persons on the event, entries in the seat history."""
    async with bot.services.database.transaction() as repositories:
        event = await repositories.session.get(EventRecord, bot.services.event.event_key)
        history = await repositories.registrations.seat_history(event.key if event else "")
    assert event is not None
    return event.confirmed_persons, len(history)


@pytest.fixture
async def before_the_event(
    start_bot: StartBot, emulator: TelegramEmulator
) -> tuple[RunningBot, dict[str, User]]:
    """Anna registered and asked a question; Ben stopped halfway through registering; Olga, an
    organiser, registered too; the admin wrote once. Then the bot stops."""
    bot = await start_bot(organiser_chat_id=ORGANISERS_CHAT.id, admin_ids=frozenset({ADMIN_ID}))
    people = {
        "anna": emulator.user(language_code="de"),
        "ben": emulator.user(language_code="de"),
        "olga": emulator.user(language_code="de"),
        "admin": emulator.user(ADMIN_ID, language_code="de"),
    }
    async with bot.services.database.transaction() as repositories:
        await repositories.organisers.add(people["olga"].id, ADMIN_ID, bot.clock.now())
    await register_and_confirm(emulator, people["anna"], persons=2)
    await register_and_confirm(emulator, people["olga"], persons=1)
    await emulator.ask(people["anna"], "Kann ich vor Ort Kuchen für unseren Verein verkaufen?")
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    question = await emulator.ask(people["ben"], "/anmelden")
    await tap(emulator, people["ben"], question, "Ja, ich komme")  # now asked for his name
    await emulator.ask(people["admin"], "/start")
    await bot.stop()
    return bot, people


async def restart_at(start_bot: StartBot, now: datetime) -> RunningBot:
    return await start_bot(
        now=now, organiser_chat_id=ORGANISERS_CHAT.id, admin_ids=frozenset({ADMIN_ID})
    )


async def test_nothing_is_deleted_before_the_cutoff_and_the_daily_check_deletes_after(
    start_bot: StartBot,
    emulator: TelegramEmulator,
    before_the_event: tuple[RunningBot, dict[str, User]],
) -> None:
    _, people = before_the_event
    bot = await restart_at(start_bot, CUTOFF - timedelta(hours=1))
    figures = await seats_counted(bot)
    assert {"users", "registrations", "question_relays"} <= await tables_with_rows(
        bot, people["anna"]
    )
    assert "bot_state" in await tables_with_rows(bot, people["ben"])

    assert isinstance(bot.clock, ManualClock)
    bot.clock.set(CUTOFF + timedelta(hours=1))
    (job,) = bot.application.job_queue.get_jobs_by_name(RETENTION_JOB)  # type: ignore[union-attr]
    await job.run(bot.application)

    assert await tables_with_rows(bot, people["anna"]) == set()
    assert await tables_with_rows(bot, people["ben"]) == set()
    assert RUN.draft_key not in bot.application.user_data.get(people["ben"].id, {})
    assert await tables_with_rows(bot, people["olga"]) == {"users", "organisers"}
    assert await tables_with_rows(bot, ADMIN_ID) == {"users"}
    assert await seats_counted(bot) == figures


async def test_at_start_after_the_cutoff_partners_data_is_gone_before_the_first_update(
    start_bot: StartBot,
    emulator: TelegramEmulator,
    before_the_event: tuple[RunningBot, dict[str, User]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, people = before_the_event
    caplog.set_level(logging.INFO)
    bot = await restart_at(start_bot, CUTOFF + timedelta(days=1))

    for partner in ("anna", "ben"):
        assert await tables_with_rows(bot, people[partner]) == set()
    assert await bot.services.registrations.all() == []
    assert await tables_with_rows(bot, people["olga"]) == {"users", "organisers"}
    assert await seats_counted(bot) == (3, 2)  # Anna's 2 and Olga's 1; two seat changes
    (record,) = [r for r in caplog.records if r.getMessage().startswith("Retention")]
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        "Retention: deleted the personal data of event klimakonferenz-2025, 30 days after its "
        "end: bot_state 2, faq_answers 0, feedback 0, outbox 0, question_relays 1, "
        "registrations 2, users 2"
    )

    # Ben's conversation went with his data: his next message is a question, not his name.
    answer = await emulator.ask(people["ben"], "wann faengt die keynote an?")
    assert "Prof. Dr. Anders Levermann" in answer.plain_text
    assert await tables_with_rows(bot, people["ben"]) == {"users"}  # a fresh row
