"""PTB persistence in the database: a conversation survives a restart of the bot mid-flow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.emulator import TelegramEmulator
from storage.database import Database
from storage.models import BotState
from storage.persistence import DatabasePersistence

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def persistence(database: Database) -> DatabasePersistence:
    return DatabasePersistence(database)


async def rows(database: Database) -> list[tuple[str, str, int | None]]:
    async with database.transaction() as repositories:
        result = await repositories.session.execute(
            select(BotState.kind, BotState.key, BotState.user_id).order_by(
                BotState.kind, BotState.key
            )
        )
        return [tuple(row) for row in result]  # type: ignore[misc]


# ----------------------------------------------------------------------- unit level


async def test_conversation_states_round_trip_with_tuple_keys(
    persistence: DatabasePersistence,
) -> None:
    class Step(IntEnum):
        CITY = 2

    await persistence.update_conversation("rsvp", (42, 42), 1)
    await persistence.update_conversation("rsvp", (-100123, 42), "ask_city")
    await persistence.update_conversation("rsvp", (42, 42), Step.CITY)  # replaces the row
    await persistence.update_conversation("other", (7,), 0)

    assert await persistence.get_conversations("rsvp") == {(42, 42): 2, (-100123, 42): "ask_city"}
    assert await persistence.get_conversations("other") == {(7,): 0}
    assert await persistence.get_conversations("unknown") == {}

    await persistence.update_conversation("rsvp", (42, 42), None)
    await persistence.update_conversation("rsvp", (1, 1), None)  # never stored: no error
    assert await persistence.get_conversations("rsvp") == {(-100123, 42): "ask_city"}


async def test_user_data_round_trips_nested_data_and_umlauts(
    persistence: DatabasePersistence,
) -> None:
    data = {
        "name": "Jürgen Öztürk-Straße",
        "answers": [1, 2.5, None, True, {"ß": ["ä", "ö", "ü", "😀"]}],
        "nested": {"empty": {}, "list": []},
    }
    await persistence.update_user_data(42, data)
    await persistence.update_user_data(43, {"name": "Anna"})
    await persistence.update_user_data(43, {"name": "Anna-Lena"})
    await persistence.update_user_data(44, {})  # PTB reports every active user; no row

    assert await persistence.get_user_data() == {42: data, 43: {"name": "Anna-Lena"}}

    await persistence.drop_user_data(42)
    await persistence.drop_user_data(99)  # unknown: no error
    assert await persistence.get_user_data() == {43: {"name": "Anna-Lena"}}
    await persistence.update_user_data(43, {})  # emptied: the row goes
    assert await persistence.get_user_data() == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": object()}, r"user_data\[42\]\['when'\] is a object"),
        ({"answers": [1, {2, 3}]}, r"user_data\[42\]\['answers'\]\[1\] is a set"),
        ({"pair": (1, 2)}, r"user_data\[42\]\['pair'\] is a tuple.*use a list"),
        ({"by_id": {5: "x"}}, r"user_data\[42\]\['by_id'\] has the key 5 \(int\)"),
    ],
)
async def test_data_json_cannot_keep_is_refused_naming_the_key(
    persistence: DatabasePersistence, data: dict[str, Any], message: str
) -> None:
    await persistence.update_user_data(42, {"name": "Anna"})
    with pytest.raises(TypeError, match=message):
        await persistence.update_user_data(42, data)
    assert await persistence.get_user_data() == {42: {"name": "Anna"}}  # unchanged


async def test_a_state_that_is_not_int_or_str_is_refused(persistence: DatabasePersistence) -> None:
    with pytest.raises(TypeError, match=r"conversation 'rsvp' for key \(42, 42\)"):
        await persistence.update_conversation("rsvp", (42, 42), 1.5)
    assert await persistence.get_conversations("rsvp") == {}


async def test_a_new_persistence_on_the_same_database_sees_the_data(
    database: Database, database_url: str
) -> None:
    before = DatabasePersistence(database)
    await before.update_user_data(42, {"name": "Anna"})
    await before.update_conversation("rsvp", (42, 42), 1)
    await before.flush()
    await database.close()

    restarted = Database(database_url)
    try:
        after = DatabasePersistence(restarted)
        assert await after.get_user_data() == {42: {"name": "Anna"}}
        assert await after.get_conversations("rsvp") == {(42, 42): 1}
        assert await after.get_chat_data() == {}
        assert await after.get_bot_data() == {}
        assert await after.get_callback_data() is None
    finally:
        await restarted.close()


async def test_forget_user_deletes_their_data_and_conversations_only(
    database: Database, persistence: DatabasePersistence
) -> None:
    anna, bob = 42, 4242
    await persistence.update_user_data(anna, {"name": "Anna"})
    await persistence.update_user_data(bob, {"name": "Bob"})
    await persistence.update_conversation("rsvp", (anna, anna), 1)
    await persistence.update_conversation("rsvp", (-100123, anna), 1)  # in a group
    await persistence.update_conversation("rsvp", (-100123, anna, 99), 1)  # per message
    await persistence.update_conversation("chat", (anna,), 1)  # per chat, private chat
    await persistence.update_conversation("rsvp", (bob, bob), 1)
    await persistence.update_conversation("rsvp", (-100123, bob), 1)
    await persistence.update_conversation("rsvp", (-42, bob), 1)  # a group id is not the user
    await persistence.update_conversation("rsvp", (bob, bob, 42), 1)  # per message, id 42
    stored = await rows(database)
    assert ("user_data", "42", anna) in stored
    assert ("conversation:rsvp", "[-100123,42]", anna) in stored

    await persistence.forget_user(anna)

    assert anna not in {user_id for *_, user_id in await rows(database)}
    assert await persistence.get_user_data() == {bob: {"name": "Bob"}}
    assert await persistence.get_conversations("chat") == {}
    # A message id equal to the user id matches too: documented, and harmless.
    assert set(await persistence.get_conversations("rsvp")) == {
        (bob, bob),
        (-100123, bob),
        (-42, bob),
    }


async def test_a_checkpoint_is_stored_before_its_question_is_sent(database: Database) -> None:
    """What a restart after a crash in the middle of sending would find."""
    moment = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    persistence = DatabasePersistence(database, now=lambda: moment)
    async with persistence.checkpoint("rsvp", (42, 42), "name", 42, {"rsvp": {"run": "a1"}}):
        reader = DatabasePersistence(database)
        assert await reader.get_conversations("rsvp") == {(42, 42): "name"}
        assert await reader.get_user_data() == {42: {"rsvp": {"run": "a1"}}}
    assert await persistence.conversations_since("rsvp") == {(42, 42): moment}

    async with persistence.checkpoint("rsvp", (42, 42), None, 42, {}):
        pass
    assert await rows(database) == []


async def test_a_checkpoint_whose_question_fails_puts_the_rows_back(
    database: Database, persistence: DatabasePersistence
) -> None:
    await persistence.update_conversation("rsvp", (42, 42), "attending")
    await persistence.update_user_data(42, {"rsvp": {"run": "a1"}})
    with pytest.raises(RuntimeError, match="Telegram is down"):
        async with persistence.checkpoint("rsvp", (42, 42), "name", 42, {"rsvp": {"run": "b2"}}):
            raise RuntimeError("Telegram is down")
    reader = DatabasePersistence(database)
    assert await reader.get_conversations("rsvp") == {(42, 42): "attending"}
    assert await reader.get_user_data() == {42: {"rsvp": {"run": "a1"}}}
    # What the rows hold is known again: the next batched write of the new state is not skipped.
    await persistence.update_conversation("rsvp", (42, 42), "name")
    assert await reader.get_conversations("rsvp") == {(42, 42): "name"}


async def test_checkpoints_of_many_partners_at_once_are_all_stored(
    database: Database, persistence: DatabasePersistence
) -> None:
    """They share commits; every partner's step is there, and what each row holds is known."""

    async def step(user: int) -> None:
        async with persistence.checkpoint("rsvp", (user, user), "name", user, {"n": user}):
            await asyncio.sleep(0)

    await asyncio.gather(*(step(user) for user in range(1, 21)))
    reader = DatabasePersistence(database)
    assert await reader.get_conversations("rsvp") == {(u, u): "name" for u in range(1, 21)}
    assert await reader.get_user_data() == {u: {"n": u} for u in range(1, 21)}
    await persistence.update_user_data(7, {"n": 7})  # known to be stored: no write
    await persistence.update_conversation("rsvp", (7, 7), None)
    assert (7, 7) not in await reader.get_conversations("rsvp")


async def test_a_batched_write_during_a_checkpoint_does_not_bring_back_the_old_state(
    persistence: DatabasePersistence,
) -> None:
    """PTB records the new state only after the callback: meanwhile it offers the old one."""
    await persistence.update_conversation("rsvp", (42, 42), "attending")
    async with persistence.checkpoint("rsvp", (42, 42), "name", 42, {"rsvp": {"run": "a1"}}):
        await persistence.update_conversation("rsvp", (42, 42), "attending")
    assert await persistence.get_conversations("rsvp") == {(42, 42): "name"}


# ----------------------------------------------------------------------- real Application

NAME, CITY = range(2)


async def _ask_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None
    await update.message.reply_text("Wie heißt du?")
    return NAME


async def _ask_city(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None and context.user_data is not None
    context.user_data["name"] = update.message.text
    await update.message.reply_text("Aus welcher Stadt kommst du?")
    return CITY


async def _confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.message is not None and context.user_data is not None
    name = context.user_data.pop("name", "?")
    await update.message.reply_text(f"Thanks {name} from {update.message.text}")
    return ConversationHandler.END


async def _outside(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text("Not in a conversation")


@asynccontextmanager
async def running_app(
    emulator: TelegramEmulator, persistence: DatabasePersistence
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    app = ApplicationBuilder().token(TOKEN).base_url(emulator.base_url).persistence(persistence)
    application = app.build()
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("rsvp", _ask_name)],
            states={
                NAME: [MessageHandler(text, _ask_city)],
                CITY: [MessageHandler(text, _confirm)],
            },
            fallbacks=[],
            name="demo",
            persistent=True,
        )
    )
    application.add_handler(MessageHandler(text, _outside))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def eventually_stored(database: Database) -> DatabasePersistence:
    """PTB writes in the background every update_interval; wait for that, not for shutdown."""
    reader = DatabasePersistence(database)
    for _ in range(100):
        if await reader.get_user_data():
            return reader
        await asyncio.sleep(0.05)
    raise AssertionError("user_data was not written within 5 s")


async def test_a_conversation_continues_after_a_restart(
    emulator: TelegramEmulator, database: Database, database_url: str
) -> None:
    anna = emulator.user(first_name="Anna")
    async with running_app(emulator, DatabasePersistence(database, update_interval=0.1)):
        assert (await emulator.ask(anna, "/rsvp")).plain_text == "Wie heißt du?"
        reply = await emulator.ask(anna, "Anna Müller")
        assert reply.plain_text == "Aus welcher Stadt kommst du?"
        # Written while running, so even a crash here would resume at the same step.
        reader = await eventually_stored(database)
        assert await reader.get_user_data() == {anna.id: {"name": "Anna Müller"}}
        assert await reader.get_conversations("demo") == {(anna.id, anna.id): CITY}
    await database.close()

    restarted = Database(database_url)
    try:
        async with running_app(emulator, DatabasePersistence(restarted)):
            reply = await emulator.ask(anna, "Görlitz")
            assert reply.plain_text == "Thanks Anna Müller from Görlitz"
            # The conversation is over: the next message is not taken as a city.
            assert (await emulator.ask(anna, "Dresden")).plain_text == "Not in a conversation"
        # Shutdown wrote the end: no conversation row, and the emptied user_data has no row.
        assert await rows(restarted) == []
    finally:
        await restarted.close()


async def test_forget_user_also_clears_the_running_application(
    emulator: TelegramEmulator, database: Database
) -> None:
    anna, bob = emulator.user(), emulator.user()
    persistence = DatabasePersistence(database, update_interval=60)
    async with running_app(emulator, persistence) as application:
        for user in (anna, bob):
            await emulator.ask(user, "/rsvp")
            await emulator.ask(user, f"Name {user.id}")
        await application.update_persistence()
        assert {user_id for *_, user_id in await rows(database)} == {anna.id, bob.id}

        await persistence.forget_user(anna.id, application=application)

        assert {user_id for *_, user_id in await rows(database)} == {bob.id}
        assert anna.id not in application.user_data
        # Anna starts over; Bob is still asked for his city.
        assert (await emulator.ask(anna, "Leipzig")).plain_text == "Not in a conversation"
        reply = await emulator.ask(bob, "Leipzig")
        assert reply.plain_text == f"Thanks Name {bob.id} from Leipzig"
    assert await rows(database) == []
