"""After the event, partners who were there are thanked and asked for stars and a comment."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.programme.model import SHIPPED_PROGRAMME, load_programme
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap
from tests.e2e.ticket_steps import press_forged_button
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4545
AT_THE_DOOR = datetime(2025, 6, 10, 15, 10, tzinfo=UTC)
# The event ends at 21:00 in Leipzig (19:00 UTC); the programme asks two hours later.
JUST_BEFORE = datetime(2025, 6, 10, 20, 59, tzinfo=UTC)
AFTER = datetime(2025, 6, 10, 21, 1, tzinfo=UTC)
STARS = ["★", "★★", "★★★", "★★★★", "★★★★★"]


def is_question(message: SentMessage) -> bool:
    return message.button_texts == STARS


async def at_the_conference(bot: RunningBot, emulator: TelegramEmulator) -> dict[str, User]:
    """Anna (German) and John (English) came and were checked in; Ben registered but stayed away."""
    people = {
        "Anna": emulator.user(first_name="Anna", language_code="de"),
        "John": emulator.user(first_name="John", language_code="en"),
        "Ben": emulator.user(first_name="Ben", language_code="de"),
    }
    for name, user in people.items():
        await emulator.ask(user, "/start")
        language = "en" if name == "John" else "de"
        answers = RsvpAnswers(attending=True, name=name, language=language)
        await bot.services.registrations.submit(user.id, answers)
    bot.clock.set(AT_THE_DOOR)
    for name in ("Anna", "John"):
        ticket = await bot.services.checkin.ticket_of(people[name].id)
        assert ticket is not None
        await bot.services.checkin.check_in(ticket.registration_id, ticket.token, 1, ORGANISER_ID)
    return people


async def test_the_question_goes_once_to_those_who_were_there_in_their_language(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    people = await at_the_conference(bot, emulator)
    bot.clock.set(JUST_BEFORE)
    assert await bot.services.feedback.run_due() == 0
    bot.clock.set(AFTER)
    mark = emulator.mark()
    assert await bot.services.feedback.run_due() == 2
    anna = await emulator.wait_for(people["Anna"], since=mark, predicate=is_question)
    assert "Vielen Dank, dass Sie bei der Klimakonferenz der Stadt Leipzig waren!" in (
        anna.plain_text
    )
    assert "Wie hat Ihnen die Klimakonferenz der Stadt Leipzig gefallen?" in anna.plain_text
    john = await emulator.wait_for(people["John"], since=mark, predicate=is_question)
    assert "How did you like the Climate Conference of the City of Leipzig?" in john.plain_text

    assert await bot.services.feedback.run_due() == 0  # a second wake-up sends nothing
    await bot.settled()
    assert not any(is_question(m) for m in emulator.messages_to(people["Ben"]))
    for name in ("Anna", "John"):
        assert sum(is_question(m) for m in emulator.messages_to(people[name])) == 1


async def test_after_a_restart_the_start_up_run_sends_it_and_only_once(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    people = await at_the_conference(bot, emulator)
    await bot.stop()
    mark = emulator.mark()
    again = await start_bot(now=AFTER)  # no call: the bot's own wake-up job finds it due
    await emulator.wait_for(people["Anna"], since=mark, predicate=is_question)
    assert await again.services.feedback.run_due() == 0


async def test_after_the_event_registering_points_those_who_came_to_the_stars(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    people = await at_the_conference(bot, emulator)
    bot.clock.set(AFTER)  # over, and the question is not even due yet
    anna = await emulator.ask(people["Anna"], "/anmelden")
    assert anna.plain_text.startswith(
        "Die Veranstaltung ist vorbei – vielen Dank, dass Sie da waren!\n\n"
        "Wie hat Ihnen die Klimakonferenz der Stadt Leipzig gefallen?"
    )
    assert is_question(anna)
    rated = await tap(emulator, people["Anna"], anna, "★★★★")
    assert "Danke für Ihre Bewertung: ★★★★" in rated.plain_text
    john = await emulator.ask(people["John"], "/rsvp")
    assert john.plain_text.startswith("The event is over – thank you for coming!")
    assert "How did you like the Climate Conference of the City of Leipzig?" in john.plain_text
    assert is_question(john)
    ben = await emulator.ask(people["Ben"], "/anmelden")  # registered, but stayed away
    assert ben.plain_text.startswith("Die Veranstaltung ist vorbei; Anmeldungen")
    assert ben.buttons == []


async def test_without_feedback_in_the_programme_registering_only_says_it_is_over(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    shipped = load_programme(SHIPPED_PROGRAMME)
    bot = await start_bot(programme=shipped.model_copy(update={"feedback": None}))
    people = await at_the_conference(bot, emulator)
    bot.clock.set(AFTER)
    anna = await emulator.ask(people["Anna"], "/anmelden")
    assert anna.plain_text.startswith("Die Veranstaltung ist vorbei; Anmeldungen")
    assert anna.buttons == []


async def test_stars_and_a_comment_are_stored_and_shown_to_the_organisers(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    people = await at_the_conference(bot, emulator)
    bot.clock.set(AFTER)
    mark = emulator.mark()
    await bot.services.feedback.run_due()
    anna, john = people["Anna"], people["John"]
    question = await emulator.wait_for(anna, since=mark, predicate=is_question)

    asked = await tap(emulator, anna, question, "★★★★")
    assert "Danke für Ihre Bewertung: ★★★★" in asked.plain_text
    assert asked.button_texts == ["Kein Kommentar"]
    saved = await emulator.ask(anna, "Toller Vortrag, <b>danke</b>! Wann gibt es die Folien?")
    assert "Ihr Kommentar ist gespeichert" in saved.plain_text
    # The comment was a comment, not a question: the next text is a question again.
    answer = await emulator.ask(anna, "Wann beginnt die Keynote?")
    assert "Levermann" in answer.plain_text

    question = await emulator.wait_for(john, since=mark, predicate=is_question)
    asked = await tap(emulator, john, question, "★★★★★")
    assert "Would you like to add something?" in asked.plain_text
    emulator.click(john, asked, "No comment")
    assert "thank you for your rating" in (await emulator.wait_for_edit(asked)).plain_text

    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    stats = await emulator.ask(organiser, "/statistik")
    assert (
        "Bewertungen: 2, im Schnitt 4,5 ★ (5★ 1 · 4★ 1 · 3★ 0 · 2★ 0 · 1★ 0), Kommentare: 1"
        in stats.plain_text
    )
    export = await emulator.ask(organiser, "/export")
    assert export.document is not None and export.document.content is not None
    header, *rows = csv.reader(
        io.StringIO(export.document.content.decode("utf-8-sig")), delimiter=";"
    )
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_name["Anna"]["Bewertung (Sterne)"] == "4"
    assert by_name["Anna"]["Kommentar"] == "Toller Vortrag, <b>danke</b>! Wann gibt es die Folien?"
    assert by_name["John"]["Bewertung (Sterne)"] == "5"
    assert by_name["John"]["Kommentar"] == ""
    assert by_name["Ben"]["Bewertung (Sterne)"] == ""


async def test_a_new_tap_changes_the_rating_and_keeps_the_comment(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    people = await at_the_conference(bot, emulator)
    bot.clock.set(AFTER)
    mark = emulator.mark()
    await bot.services.feedback.run_due()
    anna = people["Anna"]
    question = await emulator.wait_for(anna, since=mark, predicate=is_question)
    await tap(emulator, anna, question, "★★★★★")
    await emulator.ask(anna, "Sehr gut organisiert")
    await tap(emulator, anna, question, "★★")
    summary = await bot.services.feedback.summary()
    assert (summary.count, summary.average, summary.comments) == (1, 2.0, 1)


async def test_someone_who_was_not_there_cannot_rate(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    people = await at_the_conference(bot, emulator)
    bot.clock.set(AFTER)
    query = press_forged_button(emulator, people["Ben"], "fb:1")
    refusal = await emulator.wait_for_answer(query)
    assert refusal.show_alert and "nur Partnerinnen und Partner" in (refusal.text or "")
    assert (await bot.services.feedback.summary()).count == 0
    answer = await emulator.ask(people["Ben"], "Wann beginnt die Keynote?")
    assert "Levermann" in answer.plain_text  # no comment is expected from Ben
