"""Logs at INFO and above never carry what partners wrote or who they are."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from bot.emulator import TelegramEmulator
from storage.database import Database
from storage.models import QuestionRelay
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register_and_confirm
from tests.harness import RunningBot

NAME = "Zacharias Quellenberg"
ORGANISATION = "Moorfrosch Energiegenossenschaft"
QUESTION = "Darf mein Hund Fridolin mit in den Festsaal?"
FAILED_QUESTION = "Gibt es einen Shuttle ab Knautkleeberg?"


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Everything an operator would read at INFO and above, tracebacks included."""
    return [
        f"{record.getMessage()}\n{record.exc_text or ''}"
        for record in caplog.records
        if record.levelno >= logging.INFO
    ]


async def test_names_organisations_and_questions_never_reach_the_logs(
    bot: RunningBot, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    partner = emulator.user(first_name="Zacharias", last_name="Quellenberg", language_code="de")
    organiser = emulator.user(first_name="Olga", language_code="de")

    assert "Levermann" in (await emulator.ask(partner, "wann faengt die keynote an?")).plain_text
    await register_and_confirm(emulator, partner, persons=2, name=NAME, organisation=ORGANISATION)
    await emulator.ask(partner, QUESTION)
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    mark = emulator.mark()
    emulator.send_text(
        organiser, "Ja, Hunde sind willkommen.", chat=ORGANISERS_CHAT, reply_to=relayed
    )
    await emulator.wait_for(partner, since=mark)
    await emulator.wait_for(  # the organisers are told it was delivered
        ORGANISERS_CHAT.id, since=mark, predicate=lambda m: "weitergeleitet" in m.plain_text
    )
    # A relay that fails is logged, and still without the question.
    emulator.fail_next("sendMessage", chat_id=ORGANISERS_CHAT.id, error_code=400)
    await emulator.ask(partner, FAILED_QUESTION)
    await emulator.ask(partner, "/daten_loeschen")

    for _ in range(100):  # relays run in the background
        records = logged(caplog)
        if any("Could not relay a question" in record for record in records):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the failed relay was not logged")
    for secret in (
        "Zacharias",
        "Quellenberg",
        "Moorfrosch",
        "Fridolin",
        "Knautkleeberg",
        "Hunde sind willkommen",
    ):
        assert not [record for record in records if secret in record], secret


async def test_a_database_error_names_no_value_that_was_written(database_url: str) -> None:
    """Tracebacks reach the logs at ERROR; SQLAlchemy would print a statement's parameters."""
    database = Database(database_url)
    await database.migrate()
    try:
        with pytest.raises(IntegrityError) as raised:
            async with database.transaction() as repositories:
                repositories.session.add(
                    QuestionRelay(
                        user_id=999,  # no such user: the foreign key fails
                        organiser_chat_id=-1,
                        organiser_message_id=1,
                        question=QUESTION,
                        created_at=datetime(2025, 6, 2, tzinfo=UTC),
                    )
                )
        assert "Fridolin" not in str(raised.value)
    finally:
        await database.close()
