"""Partners read what is stored, get it as a file, and erase it, even in the middle of a flow."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from telegram.ext import ConversationHandler, Job

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.registration.rules import Status
from handlers.registration.conversation import RUN
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register, register_and_confirm, tap, with_capacity
from tests.harness import RunningBot, StartBot


async def stored(bot: RunningBot, user: User) -> dict[str, list[dict[str, Any]]]:
    """What the database holds about the user, table by table, once PTB wrote its state."""
    await bot.application.update_persistence()
    async with bot.services.database.transaction() as repositories:
        return await repositories.personal_data.rows_of(user.id)


def conversation_timeouts(bot: RunningBot, user: User) -> list[Job[Any]]:
    """The user's conversation timeouts that PTB would still act on: while one is, a late
    "your registration expired" can still come."""
    return [
        job
        for handlers in bot.application.handlers.values()
        for handler in handlers
        if isinstance(handler, ConversationHandler)
        for key, job in handler.timeout_jobs.items()
        if user.id in key
    ]


def non_empty(rows: dict[str, list[dict[str, Any]]]) -> set[str]:
    return {table for table, table_rows in rows.items() if table_rows}


async def waitlist(emulator: TelegramEmulator, user: User, persons: int) -> None:
    offer = await tap(emulator, user, await register(emulator, user, persons=persons), "Bestätigen")
    assert "Warteliste" in (await tap(emulator, user, offer, "Auf die Warteliste")).plain_text


async def my_data(emulator: TelegramEmulator, user: User, command: str) -> dict[str, Any]:
    document = await emulator.ask(user, command)
    assert document.method == "sendDocument" and document.document is not None
    assert document.document.filename == "partnerbot-data-2025-06-02.json"
    assert document.document.content is not None
    return json.loads(document.document.content.decode("utf-8"))  # type: ignore[no-any-return]


async def confirm_erasure(emulator: TelegramEmulator, user: User) -> SentMessage:
    question = await emulator.ask(user, "/daten_loeschen")
    assert "Alle Ihre Daten löschen?" in question.plain_text
    return await tap(emulator, user, question, "Ja, alles löschen")


# ---------------------------------------------------------------- /privacy


@pytest.mark.parametrize(
    ("language", "command", "expected"),
    [
        (
            "de",
            "/datenschutz",
            [
                "was ich über Sie speichere",
                "Telegram-ID",
                "Verpflegung und Barrierefreiheit",
                "Rundschreiben und Erinnerungen",
                "Orga-Team der Konferenz (Stadt Leipzig)",
                "bis 30 Tage nach dem Ende der Veranstaltung, also bis Donnerstag, 10. Juli 2025",
                "/meine_daten",
                "/daten_loeschen",
            ],
        ),
        (
            "en",
            "/privacy",
            [
                "what I store about you",
                "Telegram id",
                "dietary and accessibility needs",
                "announcements and reminders",
                "conference organisers (City of Leipzig)",
                "until 30 days after the event ends, that is until Thursday, 10 July 2025",
                "/mydata",
                "/deletemydata",
            ],
        ),
    ],
)
async def test_privacy_says_what_is_stored_for_how_long_and_how_to_delete_it(
    bot: RunningBot, emulator: TelegramEmulator, language: str, command: str, expected: list[str]
) -> None:
    reader = emulator.user(language_code=language)
    text = (await emulator.ask(reader, command)).plain_text
    for part in expected:
        assert part in text


async def test_privacy_names_the_configured_retention(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(retention_days=7)
    text = (await emulator.ask(emulator.user(language_code="de"), "/datenschutz")).plain_text
    assert "bis 7 Tage nach dem Ende der Veranstaltung, also bis Dienstag, 17. Juni 2025" in text
    # What happens to a question whose answer the organisers saved as an FAQ entry.
    assert (
        "Sie wird mit Ihren Daten gelöscht – es sei denn, das Orga-Team hat sie umformuliert"
        in (text)
    )


# ---------------------------------------------------------------- /mydata


async def test_mydata_sends_the_users_answers_and_questions_and_nobody_elses(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Annegret", language_code="de")
    bob = emulator.user(first_name="Bertram", language_code="de")
    await register_and_confirm(
        emulator, anna, persons=2, name="Annegret Quist", organisation="Solarverein Connewitz"
    )
    await register_and_confirm(emulator, bob, persons=1, name="Bertram Zorn", organisation="BUND")
    await emulator.ask(anna, "Kann ich vor Ort Kuchen für unseren Verein verkaufen?")
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id)

    data = await my_data(emulator, anna, "/meine_daten")

    assert data["telegram_user_id"] == anna.id
    assert data["exported_at"] == "2025-06-02T09:00:00+00:00"
    tables = data["tables"]
    assert tables["users"][0]["first_name"] == "Annegret"
    (registration,) = tables["registrations"]
    assert registration["name"] == "Annegret Quist"
    assert registration["organisation"] == "Solarverein Connewitz"
    assert (registration["persons"], registration["dietary"]) == (2, "vegetarian")
    assert registration["registered_at"] == "2025-06-02T09:00:00+00:00"
    assert [relay["question"] for relay in tables["question_relays"]] == [
        "Kann ich vor Ort Kuchen für unseren Verein verkaufen?"
    ]
    assert "organiser_chat_id" not in tables["question_relays"][0]
    everything = json.dumps(data)
    for other in ("Bertram", "Zorn", "BUND", str(bob.id)):
        assert other not in everything


async def test_mydata_is_answered_only_in_a_private_chat(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="en")
    reply = await emulator.ask(anna, "/mydata", chat=ORGANISERS_CHAT)
    assert reply.document is None
    assert "write to me directly" in reply.plain_text


# ---------------------------------------------------------------- /deletemydata


async def test_deleting_frees_the_seat_promotes_the_waitlist_and_leaves_nothing(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(programme=with_capacity(3), organiser_chat_id=ORGANISERS_CHAT.id)
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=2)
    await waitlist(emulator, ben, persons=2)
    await emulator.ask(anna, "Kann ich vor Ort Kuchen für unseren Verein verkaufen?")
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    assert {"users", "registrations", "question_relays"} <= non_empty(await stored(bot, anna))

    mark = emulator.mark()
    confirmation = await confirm_erasure(emulator, anna)

    text = confirmation.plain_text
    assert "Ihre Daten sind gelöscht" in text
    assert "Ihre Anmeldung ist abgesagt" in text
    assert "• Nutzereintrag (Name, Sprache, Organisation): 1" in text
    assert "• Anmeldungen: 1" in text
    assert "• weitergegebene Fragen: 1" in text
    assert "speichere ich Ihren Telegram-Namen erneut" in text
    assert "Gute Nachricht" in (await emulator.wait_for(ben, since=mark)).plain_text
    assert non_empty(await stored(bot, anna)) == set()
    ben_now = await bot.services.registrations.current(ben.id)
    assert ben_now is not None and ben_now.status is Status.CONFIRMED
    summary = await bot.services.registrations.summary()
    assert (summary.seats_left, summary.persons(Status.CONFIRMED)) == (1, 2)
    # The anonymous seat history stays: Anna's 2 seats, freed, then Ben's 2.
    assert [persons for _, persons in summary.history] == [2, 0, 2]


async def test_no_deletes_nothing(bot: RunningBot, emulator: TelegramEmulator) -> None:
    anna = emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=1)
    question = await emulator.ask(anna, "/deletemydata")  # the English name works too
    mark = emulator.mark()
    emulator.click(anna, question, "Nein, behalten")
    edit = await emulator.wait_for_edit(question)
    assert "ich habe nichts gelöscht" in edit.plain_text
    assert emulator.mark() == mark
    assert {"users", "registrations"} <= non_empty(await stored(bot, anna))


async def test_someone_elses_delete_button_does_nothing(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna, mallory = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=1)
    question = await emulator.ask(anna, "/daten_loeschen")

    mark = emulator.mark()
    pressed = emulator.click(mallory, question, "Ja, alles löschen")
    answer = await emulator.wait_for_answer(pressed)
    assert answer.text == "Diese Schaltfläche ist nicht für Sie bestimmt."
    forged = dict(question.payload)
    emulator.send_update(
        {"callback_query": {"from": mallory.to_dict(), "message": forged, "data": "pv:erase:x"}}
    )
    await bot.settled()

    assert {"users", "registrations"} <= non_empty(await stored(bot, anna))
    assert emulator.messages_to(anna, since=mark) == []
    assert not question.edits  # the question is untouched, Anna can still answer it


async def test_deleting_in_the_middle_of_changing_a_registration_leaves_no_trace(
    start_bot: StartBot, emulator: TelegramEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(programme=with_capacity(3))
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=2)
    await waitlist(emulator, ben, persons=2)
    summary = await emulator.ask(anna, "/anmelden")
    fields = await tap(emulator, anna, summary, "Ändern")
    asking_name = await tap(emulator, anna, fields, "Name")
    assert "Wie ist Ihr Name?" in asking_name.plain_text
    assert RUN.draft_key in bot.application.user_data[anna.id]
    await bot.settled()
    assert conversation_timeouts(bot, anna)  # the question would run out unanswered

    caplog.set_level(logging.WARNING)
    mark = emulator.mark()
    confirmation = await confirm_erasure(emulator, anna)
    assert "Ihre Daten sind gelöscht" in confirmation.plain_text
    assert "• gespeicherte Gesprächsschritte: 2" in confirmation.plain_text  # draft and step
    assert "Gute Nachricht" in (await emulator.wait_for(ben, since=mark)).plain_text

    # The next message is a question again, not the name the old conversation asked for.
    answer = await emulator.ask(anna, "wann faengt die keynote an?")
    assert "Prof. Dr. Anders Levermann" in answer.plain_text
    # The old question's button belongs to a conversation that is gone.
    pressed = emulator.click(anna, asking_name, "übernehmen")
    stale = await emulator.wait_for_answer(pressed)
    assert stale.text == "Diese Schaltfläche ist nicht mehr aktiv."
    # The conversation's timeout was cancelled with it: no late "your registration expired".
    await bot.settled()
    assert conversation_timeouts(bot, anna) == []

    rows = await stored(bot, anna)
    assert non_empty(rows) == {"users"}  # recreated by the question, as the confirmation said
    assert rows["users"][0]["organisation"] is None
    assert await bot.services.registrations.current(anna.id) is None
    ben_now = await bot.services.registrations.current(ben.id)
    assert ben_now is not None and ben_now.status is Status.CONFIRMED
    assert (await bot.services.registrations.summary()).seats_left == 1
    assert not bot.application.user_data.get(anna.id)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not [m for m in emulator.messages_to(anna) if "Entschuldigung" in m.plain_text]


async def test_deleting_in_english_without_a_registration(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    question = await emulator.ask(john, "/deletemydata")
    assert "Delete all your data?" in question.plain_text
    confirmation = await tap(emulator, john, question, "Yes, delete everything")
    text = confirmation.plain_text
    assert "Your data is deleted" in text
    assert "registration is cancelled" not in text
    assert "• user record (name, language, organisation): 1" in text
    assert "• registrations: 0" in text
    assert "If you write again, we store your Telegram name again" in text
    assert non_empty(await stored(bot, john)) == set()


async def test_an_organiser_deleting_mid_announcement_leaves_no_draft_to_continue(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    olga = emulator.user(first_name="Olga", language_code="de")
    bot = await start_bot(admin_ids=frozenset({olga.id}))
    assert "Neues Rundschreiben" in (await emulator.ask(olga, "/rundschreiben")).plain_text

    await confirm_erasure(emulator, olga)

    # Not taken as the announcement's text: the bot answers it as a question.
    answer = await emulator.ask(olga, "wann faengt die keynote an?")
    assert "Prof. Dr. Anders Levermann" in answer.plain_text
    assert not bot.application.user_data.get(olga.id)
    assert "bot_state" not in non_empty(await stored(bot, olga))
