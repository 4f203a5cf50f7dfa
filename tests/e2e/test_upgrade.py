"""An upgrade keeps what is already stored and already in partners' chats working: the bot of
today starts on a database and chats that the bot of commit be6da04 (before the feature
packages) left behind.

tests/fixtures/upgrade_from_be6da04.json holds that state, made once by running
tests/fixtures/make_upgrade_fixture.py against the old code (its docstring tells the story and
how to run it): every table's rows as the old code wrote them, the migration it had reached,
and the messages with buttons in three private chats, with the callback data the old code
gave them. A test writes those rows through today's schema at that revision and puts those
messages back into the emulator's chats, then starts today's bot and has the people carry on.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, insert, text
from telegram import Bot, InlineKeyboardMarkup

from bot.emulator import SentMessage, TelegramEmulator, User
from storage.database import Database, alembic_config
from storage.models import Base
from tests.conftest import ORGANISERS_CHAT, TEST_TOKEN
from tests.harness import RunningBot, StartBot

FIXTURE = Path(__file__).parent.parent / "fixtures" / "upgrade_from_be6da04.json"
ANNA, BEN, OLGA = 1001, 1002, 7373


def _value(value: Any) -> Any:
    """A column value back from the fixture's JSON (see `_json_value` in the fixture maker)."""
    if isinstance(value, dict) and len(value) == 1:
        ((kind, raw),) = value.items()
        if kind == "datetime":
            return datetime.fromisoformat(raw)
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "bytes":
            return base64.b64decode(raw)
    return value


def _write_old_rows(connection: Connection, fixture: dict[str, Any]) -> None:
    """The schema as the old bot had migrated it, then its rows, table by table."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, fixture["alembic_revision"])
    for table in Base.metadata.sorted_tables:
        rows = fixture["tables"].pop(table.name, [])
        if rows:
            connection.execute(
                insert(table), [{k: _value(v) for k, v in row.items()} for row in rows]
            )
        if connection.dialect.name == "postgresql" and "id" in table.c and rows:
            # Rows came with their ids: the sequence goes on after the highest.
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), MAX(id)) "
                    f"FROM {table.name}"
                )
            )
    assert fixture["tables"] == {}, f"tables the old bot had and today's has not: {fixture}"


async def _restore_chats(emulator: TelegramEmulator, chats: dict[str, Any]) -> None:
    """Each chat's messages under their old ids, with their old buttons. The ids in between
    were the partners' own messages and messages without buttons; a dot stands in for them."""
    rate_limit, emulator.rate_limit = emulator.rate_limit, None  # the old bot sent them over time
    async with Bot(TEST_TOKEN, base_url=emulator.base_url) as bot:
        for chat_id, messages in chats.items():
            by_id = {message["message_id"]: message for message in messages}
            for message_id in range(1, max(by_id) + 1):
                old = by_id.get(message_id, {"text": "·", "reply_markup": None})
                markup = old["reply_markup"]
                sent = await bot.send_message(
                    int(chat_id),
                    old["text"],
                    reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
                )
                assert sent.message_id == message_id
    emulator.rate_limit = rate_limit


@pytest.fixture
def people(emulator: TelegramEmulator) -> tuple[User, User, User]:
    """Anna, Ben and the organiser Olga, with the ids they had before the upgrade."""
    return (
        emulator.user(id=ANNA, first_name="Anna", language_code="de"),
        emulator.user(id=BEN, first_name="Ben", language_code="de"),
        emulator.user(id=OLGA, first_name="Olga", language_code="de"),
    )


@pytest.fixture
async def upgraded(
    start_bot: StartBot,
    emulator: TelegramEmulator,
    database_url: str,
    people: tuple[User, User, User],
) -> RunningBot:
    """Today's bot, a minute after the old one stopped, on what the old one left."""
    fixture = json.loads(FIXTURE.read_text())
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(_write_old_rows, fixture)
    await database.close()
    # These partners wrote to the bot long ago, so the bot may write to them.
    emulator.auto_create_chats = True
    await _restore_chats(emulator, fixture["chats"])
    return await start_bot(
        now=datetime.fromisoformat(fixture["moment"]) + timedelta(minutes=1),
        admin_ids=frozenset({OLGA}),
        organiser_chat_id=ORGANISERS_CHAT.id,
    )


def _old_message(emulator: TelegramEmulator, user: User, pattern: str) -> tuple[SentMessage, str]:
    """The restored message with the old bot's button whose data matches, and the button's
    text: the data carries run ids and tokens of the old bot's own making."""
    for message in emulator.messages_to(user):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if re.fullmatch(pattern, button.get("callback_data") or ""):
                    return message, str(button["text"])
    raise AssertionError(f"no message to {user.id} has a button {pattern!r}")


async def _tap_for(
    emulator: TelegramEmulator, user: User, message: SentMessage, button: str, expected: str
) -> SentMessage:
    """Tap and wait for the answer that says `expected`: queued messages of the old bot may
    arrive in between."""
    mark = emulator.mark()
    emulator.click(user, message, button)
    return await emulator.wait_for(user, since=mark, predicate=lambda m: expected in m.plain_text)


def _button_text(message: SentMessage, callback_data: str) -> str:
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if button.get("callback_data") == callback_data:
                return str(button["text"])
    raise AssertionError(f"no button {callback_data!r} in {message.plain_text!r}")


async def test_queued_messages_of_every_kind_are_delivered_after_the_upgrade(
    upgraded: RunningBot, emulator: TelegramEmulator, people: tuple[User, User, User]
) -> None:
    anna, ben, olga = people
    # The reminder: a text with the old bot's buttons.
    reminder = await emulator.wait_for(
        anna, predicate=lambda m: "Erinnerung: Klimakonferenz" in m.plain_text
    )
    assert reminder.button_texts == ["📋 Programm", "📅 Kalender"]
    # The programme update: a text, then the calendar file uploaded from the row.
    update = await emulator.wait_for(
        anna, predicate=lambda m: "Änderung im Programm" in m.plain_text
    )
    assert "18:30" in update.plain_text
    calendar = await emulator.wait_for(anna, predicate=lambda m: m.document is not None)
    assert calendar.document is not None and b"BEGIN:VCALENDAR" in (
        calendar.document.content or b""
    )
    # The announcement that was being sent: a photo known by its file id, to both partners.
    for partner in (anna, ben):
        photo = await emulator.wait_for(partner, predicate=lambda m: m.photo is not None)
        assert photo.photo is not None and photo.photo.file_id == "old-photo-file-id"
        assert photo.plain_text == "Das Podium"
    # Its progress report is the message the old bot named, and it reaches its end.
    broadcasts = json.loads(FIXTURE.read_text())["tables"]["broadcasts"]
    (sending,) = [row for row in broadcasts if row["status"] == "sending"]
    (report,) = [
        m for m in emulator.messages_to(olga) if m.message_id == sending["report_message_id"]
    ]
    while "Rundschreiben verschickt" not in report.plain_text:
        await emulator.wait_for_edit(report, timeout=10)
    assert "2" in report.plain_text


async def test_old_buttons_keep_working_after_the_upgrade(
    upgraded: RunningBot, emulator: TelegramEmulator, people: tuple[User, User, User]
) -> None:
    anna, ben, olga = people

    # Ben's registration goes on from the question the old bot asked.
    question, yes = _old_message(emulator, ben, r"r:\w+:yes")
    await _tap_for(emulator, ben, question, yes, "Wie ist Ihr Name?")

    # The reminder the old bot queued: its programme and calendar buttons.
    reminder = await emulator.wait_for(
        anna, predicate=lambda m: "Erinnerung: Klimakonferenz" in m.plain_text
    )
    await _tap_for(emulator, anna, reminder, _button_text(reminder, "go:programme"), "Ablauf")
    mark = emulator.mark()
    emulator.click(anna, reminder, _button_text(reminder, "go:calendar"))
    await emulator.wait_for(anna, since=mark, predicate=lambda m: m.document is not None)

    # /erinnerungen as the old bot showed it: switching off.
    switch, off = _old_message(emulator, anna, "rem:off")
    emulator.click(anna, switch, off)
    assert "jetzt ausgeschaltet" in (await emulator.wait_for_edit(switch)).plain_text

    # The check-in card the old bot gave Olga when she scanned Anna's ticket.
    card, two_persons = _old_message(emulator, olga, r"ci:\d+:2:[\w-]+")
    emulator.click(olga, card, two_persons)
    assert "ist eingecheckt" in (await emulator.wait_for_edit(card)).plain_text

    # /meine_anmeldung as the old bot showed it: cancelling asks first.
    mine, cancel = _old_message(emulator, anna, "my:cancel")
    await _tap_for(emulator, anna, mine, cancel, "wirklich absagen")

    # Olga's announcement waited at "send now?": it goes out to both partners.
    confirm, send = _old_message(emulator, olga, r"b:\w+:send")
    emulator.click(olga, confirm, send)
    for partner in (anna, ben):
        await emulator.wait_for(partner, predicate=lambda m: m.plain_text == "Wichtig: neue Infos")
    while "Rundschreiben verschickt" not in confirm.plain_text:
        await emulator.wait_for_edit(confirm, timeout=10)


async def test_questions_relayed_after_the_upgrade_can_be_saved_as_faq(
    upgraded: RunningBot, emulator: TelegramEmulator, people: tuple[User, User, User]
) -> None:
    """The learned FAQ tables arrive with the upgrade: /faq works on the old database, and an
    answer to a question relayed now can be saved."""
    anna, _, olga = people
    mark = emulator.mark()
    emulator.send_text(olga, "/faq")
    await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "Noch keine gelernten Einträge" in m.plain_text
    )
    mark = emulator.mark()
    emulator.send_text(anna, "Gibt es eine Kinderbetreuung?")
    relayed = await upgraded.relayed_question(emulator, ORGANISERS_CHAT.id, since=mark)
    mark = emulator.mark()
    emulator.send_text(olga, "Leider nein.", chat=ORGANISERS_CHAT, reply_to=relayed)
    confirmation = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    emulator.click(olga, confirmation, "Als FAQ speichern")
    draft = await emulator.wait_for(
        olga, since=mark, predicate=lambda m: "Neuer FAQ-Eintrag" in m.plain_text
    )
    assert "Leider nein." in draft.plain_text
