"""Partners register in conversation: seats, waitlist, deadline, calendar file, organisers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.emulator import SentMessage, TelegramEmulator
from bot.programme.model import SHIPPED_PROGRAMME, load_programme
from bot.registration.rules import Status
from tests.e2e.rsvp_steps import register, register_and_confirm, tap, with_capacity
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4242


def calendar_of(message: SentMessage) -> Calendar:
    assert message.method == "sendDocument" and message.document is not None
    assert message.document.filename.endswith(".ics")
    return Calendar.from_ical(message.document.content)


def vevents(calendar: Calendar) -> list:
    return [component for component in calendar.walk("VEVENT")]


async def stored_status(bot: RunningBot, user_id: int) -> Status | None:
    registration = await bot.services.registrations.current(user_id)
    return registration.status if registration else None


async def test_partner_registers_in_german_and_gets_a_calendar_file(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", last_name="Müller", language_code="de")
    summary = await register(emulator, anna, persons=2)
    assert "Name: Anna Müller" in summary.plain_text
    assert "Organisation: Leipziger Stadtwerke" in summary.plain_text
    assert "Personen: 2" in summary.plain_text
    assert "Verpflegung: Vegetarisch" in summary.plain_text

    mark = emulator.mark()
    emulator.click(anna, summary, "Bestätigen")
    confirmation = await emulator.wait_for(anna, since=mark)
    document = await emulator.wait_for(anna, since=mark, count=2)
    await emulator.wait_for(anna, since=mark, count=3)  # the ticket
    assert "Sie sind angemeldet" in confirmation.plain_text
    event, keynote = vevents(calendar_of(document))
    assert event["SUMMARY"] == "Klimakonferenz der Stadt Leipzig"
    assert event.decoded("DTSTART") == datetime(2025, 6, 10, 15, 0, tzinfo=UTC)
    assert "Levermann" in keynote["SUMMARY"]
    assert await stored_status(bot, anna.id) is Status.CONFIRMED

    overview = await emulator.ask(anna, "/meine_anmeldung")
    assert "Status: angemeldet" in overview.plain_text


async def test_partner_registers_in_english_typing_the_answers(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    john = emulator.user(first_name="John", language_code="en")
    question = await emulator.ask(john, "/rsvp")
    assert "Will you attend the Climate Conference" in question.plain_text
    question = await tap(emulator, john, question, "Yes")
    question = await emulator.ask(john, "John Smith")
    assert "Which organisation" in question.plain_text
    question = await tap(emulator, john, question, "No organisation")
    question = await emulator.ask(john, "we are 3 people")
    question = await tap(emulator, john, question, "Other")
    assert "keep in mind for the food" in question.plain_text
    question = await emulator.ask(john, "gluten-free")
    question = await emulator.ask(john, "wheelchair, step-free entrance please")
    assert question.button_texts == ["Yes, I agree", "No"]
    summary = await tap(emulator, john, question, "Yes, I agree")
    assert "Attending: yes" in summary.plain_text
    assert "Persons: 3" in summary.plain_text
    assert "Dietary: gluten-free" in summary.plain_text
    assert "Accessibility: wheelchair, step-free entrance please" in summary.plain_text
    assert "Organisation: –" in summary.plain_text
    confirmation = await tap(emulator, john, summary, "Confirm")
    assert "You're registered" in confirmation.plain_text


async def test_a_no_is_stored_as_a_decline(bot: RunningBot, emulator: TelegramEmulator) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    consent = await tap(emulator, anna, question, "Nein, leider nicht")
    summary = await tap(emulator, anna, consent, "Ja, einverstanden")
    assert "Teilnahme: nein" in summary.plain_text
    answer = await tap(emulator, anna, summary, "Bestätigen")
    assert "Ihre Absage ist gespeichert" in answer.plain_text
    assert await stored_status(bot, anna.id) is Status.DECLINED


async def test_without_consent_nothing_is_stored(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    question = await tap(emulator, anna, question, "Ja, ich komme")
    question = await tap(emulator, anna, question, "übernehmen")
    question = await tap(emulator, anna, question, "Ohne Organisation")
    question = await tap(emulator, anna, question, "1")
    question = await tap(emulator, anna, question, "Keine")
    question = await tap(emulator, anna, question, "Nein, danke")
    refusal = await tap(emulator, anna, question, "Nein")
    assert "habe nichts gespeichert" in refusal.plain_text
    assert await stored_status(bot, anna.id) is None


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("zwei", "als Ziffer an"),
        ("-1", "mindestens 1 Person"),
        ("0", "mindestens 1 Person"),
        ("1000", "höchstens 3 Personen"),
        ("2.5", "als Ziffer an"),
        ("2 oder 3", "als Ziffer an"),
    ],
)
async def test_unclear_numbers_of_persons_are_asked_again(
    bot: RunningBot, emulator: TelegramEmulator, answer: str, reply: str
) -> None:
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    question = await tap(emulator, anna, question, "Ja, ich komme")
    question = await tap(emulator, anna, question, "übernehmen")
    question = await tap(emulator, anna, question, "Ohne Organisation")
    assert "Mit wie vielen Personen" in question.plain_text
    assert reply in (await emulator.ask(anna, answer)).plain_text
    assert "Verpflegung" in (await emulator.ask(anna, "2 Personen")).plain_text


async def test_overlong_name_is_refused_with_the_limit(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    await tap(emulator, anna, question, "Ja, ich komme")
    refusal = await emulator.ask(anna, "A" * 201)
    assert "höchstens 200 Zeichen" in refusal.plain_text
    assert "Organisation" in (await emulator.ask(anna, "A" * 200)).plain_text


async def test_html_and_emoji_are_kept_as_written_and_shown_escaped(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    anna = emulator.user(language_code="de")
    name, organisation = "<b>Anna</b> 🌱 & Co", "<script>alert(1)</script>"
    summary = await register(emulator, anna, name=name, organisation=organisation)
    assert f"Name: {name}" in summary.plain_text  # the emulator rejects unescaped HTML
    assert f"Organisation: {organisation}" in summary.plain_text
    await tap(emulator, anna, summary, "Bestätigen")
    stored = await bot.services.registrations.current(anna.id)
    assert stored is not None and (stored.name, stored.organisation) == (name, organisation)


async def test_typed_text_where_a_button_is_expected_points_to_the_buttons(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    await emulator.ask(anna, "/anmelden")
    reply = await emulator.ask(anna, "vielleicht")
    assert "Bitte wählen Sie eine der Schaltflächen" in reply.plain_text


async def test_button_of_an_earlier_run_changes_nothing(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    old_question = await emulator.ask(anna, "/anmelden")
    await emulator.ask(anna, "/anmelden")
    mark = emulator.mark()
    query = emulator.click(anna, old_question, "Ja, ich komme")
    answer = await emulator.wait_for_answer(query)
    assert answer.text == "Diese Schaltfläche ist nicht mehr aktiv."
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == []


async def test_a_button_clicked_by_someone_else_acts_for_the_clicker_only(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    mallory = emulator.user(language_code="de")
    summary = await register(emulator, anna)
    data = summary.button("Bestätigen").callback_data
    query = emulator.send_update(
        {
            "callback_query": {
                "from": mallory.to_dict(),
                "chat_instance": "x",
                "data": data,
                "message": summary.payload,
            }
        }
    )["callback_query"]
    assert (
        await emulator.wait_for_answer(query)
    ).text == "Diese Schaltfläche ist nicht mehr aktiv."
    assert await stored_status(bot, anna.id) is None
    assert await stored_status(bot, mallory.id) is None


async def test_cancel_leaves_the_conversation_at_any_step(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    await tap(emulator, anna, question, "Ja, ich komme")
    assert "Abgebrochen" in (await emulator.ask(anna, "/abbrechen")).plain_text
    assert "Levermann" in (await emulator.ask(anna, "Wer hält die Keynote?")).plain_text


async def test_silence_ends_the_conversation_with_a_note(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(conversation_timeout=0.5)
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    mark = emulator.mark()
    note = await emulator.wait_for(anna, since=mark, timeout=5)
    assert "nach 30 Minuten ohne Antwort abgelaufen" in note.plain_text
    # The answer comes too late: the bot says how to go on (tests/e2e/test_rsvp_resume.py).
    offer = await tap(emulator, anna, question, "Ja, ich komme")
    assert "Diese Anmeldung wurde unterbrochen" in offer.plain_text


async def test_conversation_continues_after_a_restart(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot()
    anna = emulator.user(first_name="Anna", language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    question = await tap(emulator, anna, question, "Ja, ich komme")
    question = await emulator.ask(anna, "Anna Vor-dem-Neustart")
    assert "Organisation" in question.plain_text
    await first.stop()

    await start_bot()
    question = await emulator.ask(anna, "Stadtbibliothek")
    assert "Mit wie vielen Personen" in question.plain_text
    question = await tap(emulator, anna, question, "1")
    question = await tap(emulator, anna, question, "Vegan")
    question = await tap(emulator, anna, question, "Nein, danke")
    summary = await tap(emulator, anna, question, "Ja, einverstanden")
    assert "Name: Anna Vor-dem-Neustart" in summary.plain_text
    assert "Organisation: Stadtbibliothek" in summary.plain_text


async def test_last_seat_goes_to_exactly_one_of_two_partners_confirming_at_once(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(programme=with_capacity(3))
    anna, ben, cleo = (emulator.user(language_code="de") for _ in range(3))
    await register_and_confirm(emulator, anna, persons=2)
    summaries = [await register(emulator, partner, persons=1) for partner in (ben, cleo)]
    mark = emulator.mark()
    emulator.click(ben, summaries[0], "Bestätigen")
    emulator.click(cleo, summaries[1], "Bestätigen")
    answers = [await emulator.wait_for(p, since=mark) for p in (ben, cleo)]
    texts = [answer.plain_text for answer in answers]
    assert sum("Sie sind angemeldet" in text for text in texts) == 1
    assert sum("ausgebucht" in text for text in texts) == 1


async def test_full_event_offers_fewer_persons(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(programme=with_capacity(3))
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=2)
    offer = await tap(emulator, ben, await register(emulator, ben, persons=3), "Bestätigen")
    assert "nur noch 1 Plätze frei" in offer.plain_text
    confirmation = await tap(emulator, ben, offer, "Mit 1 Personen anmelden")
    assert "Sie sind angemeldet" in confirmation.plain_text


async def test_waitlisted_partner_moves_up_and_is_told_at_once(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(programme=with_capacity(3))
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=3)
    offer = await tap(emulator, ben, await register(emulator, ben, persons=1), "Bestätigen")
    waitlisted = await tap(emulator, ben, offer, "Auf die Warteliste")
    assert "Warteliste" in waitlisted.plain_text
    assert await stored_status(bot, ben.id) is Status.WAITLISTED

    question = await emulator.ask(anna, "/absagen")
    mark = emulator.mark()
    emulator.click(anna, question, "Ja, absagen")
    news = await emulator.wait_for(ben, since=mark)
    assert "Gute Nachricht" in news.plain_text
    calendar_of(await emulator.wait_for(ben, since=mark, count=2))
    assert await stored_status(bot, ben.id) is Status.CONFIRMED
    assert await stored_status(bot, anna.id) is Status.CANCELLED


async def test_changing_persons_resends_the_calendar_with_the_same_uid(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    mark = emulator.mark()
    await register_and_confirm(emulator, anna, persons=2)
    first = calendar_of(
        await emulator.wait_for(anna, since=mark, predicate=lambda m: m.document is not None)
    )

    overview = await emulator.ask(anna, "/meine_anmeldung")
    summary = await tap(emulator, anna, overview, "Ändern")
    fields = await tap(emulator, anna, summary, "Ändern")
    question = await tap(emulator, anna, fields, "Personen")
    summary = await tap(emulator, anna, question, "1")
    assert "Personen: 1" in summary.plain_text
    mark = emulator.mark()
    emulator.click(anna, summary, "Bestätigen")
    second = calendar_of(
        await emulator.wait_for(anna, since=mark, predicate=lambda m: m.document is not None)
    )
    assert [e["UID"] for e in vevents(first)] == [e["UID"] for e in vevents(second)]
    assert vevents(second)[0]["SEQUENCE"] > vevents(first)[0]["SEQUENCE"]
    await emulator.wait_for(anna, since=mark, predicate=lambda m: m.photo is not None)  # ticket
    resent = calendar_of(await emulator.ask(anna, "/kalender"))
    assert [e["UID"] for e in vevents(resent)] == [e["UID"] for e in vevents(first)]


async def test_after_the_deadline_only_changes_and_cancellations(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna)
    bot.clock.set(datetime(2025, 6, 5, 12, 0, tzinfo=UTC))
    closed = await emulator.ask(ben, "/anmelden")
    assert "Die Anmeldefrist ist am Dienstag, 3. Juni, 23:59 Uhr abgelaufen" in closed.plain_text
    summary = await emulator.ask(anna, "/anmelden")
    assert "Ihre Anmeldung" in summary.plain_text
    question = await emulator.ask(anna, "/absagen")
    assert (
        "Ihre Anmeldung ist abgesagt"
        in (await tap(emulator, anna, question, "Ja, absagen")).plain_text
    )


async def test_once_the_event_has_begun_nothing_is_accepted(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    anna = emulator.user(language_code="de")
    await register_and_confirm(emulator, anna)
    bot.clock.set(datetime(2025, 6, 10, 15, 30, tzinfo=UTC))
    begun = "Die Veranstaltung hat bereits begonnen; Anmeldungen und Änderungen sind nicht mehr"
    assert begun in (await emulator.ask(anna, "/anmelden")).plain_text
    question = await emulator.ask(anna, "/absagen")
    assert begun in (await tap(emulator, anna, question, "Ja, absagen")).plain_text
    assert await stored_status(bot, anna.id) is Status.CONFIRMED


async def test_once_the_event_has_ended_registering_says_it_is_over(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot()
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    john = emulator.user(language_code="en")
    await register_and_confirm(emulator, anna)
    late = await register(emulator, ben)  # Ben is at the summary when the event ends
    bot.clock.set(datetime(2025, 6, 10, 19, 0, tzinfo=UTC))  # 21:00 in Leipzig: the end
    over = "Die Veranstaltung ist vorbei; Anmeldungen und Änderungen sind nicht mehr möglich."
    answer = await emulator.ask(anna, "/anmelden")
    assert answer.plain_text == over
    assert answer.buttons == []  # Anna was not checked in: no stars to give
    question = await emulator.ask(anna, "/absagen")
    assert (await tap(emulator, anna, question, "Ja, absagen")).plain_text == over
    assert await stored_status(bot, anna.id) is Status.CONFIRMED
    assert (await tap(emulator, ben, late, "Bestätigen")).plain_text == over
    assert await stored_status(bot, ben.id) is None
    english = "The event is over; registrations and changes are no longer possible."
    assert (await emulator.ask(john, "/rsvp")).plain_text == english


async def test_keeping_the_registration_changes_nothing(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    await register_and_confirm(emulator, anna)
    question = await emulator.ask(anna, "/absagen")
    emulator.click(anna, question, "Nein, behalten")
    edit = await emulator.wait_for_edit(question)
    assert "bleibt bestehen" in edit.plain_text
    assert await stored_status(bot, anna.id) is Status.CONFIRMED


async def test_organiser_exports_registrations_as_csv(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    anna = emulator.user(first_name="Jürgen", language_code="de")
    await register_and_confirm(emulator, anna, persons=2, organisation="=HYPERLINK(1)")
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    document = await emulator.ask(organiser, "/export")
    assert document.document is not None and document.document.filename.endswith(".csv")
    content = document.document.content
    assert content.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["Name", "Organisation", "Personen"]
    assert row[:4] == ["Jürgen", "'=HYPERLINK(1)", "2", "Vegetarisch"]
    assert row[5] == "angemeldet"


async def test_organiser_sees_statistics_with_a_chart(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(admin_ids=frozenset({ORGANISER_ID}), programme=with_capacity(10))
    anna, ben, cleo = (emulator.user(language_code="de") for _ in range(3))
    await register_and_confirm(emulator, anna, persons=3)
    question = await emulator.ask(ben, "/anmelden")
    consent = await tap(emulator, ben, question, "Nein, leider nicht")
    await tap(emulator, ben, await tap(emulator, ben, consent, "Ja, einverstanden"), "Bestätigen")
    await emulator.ask(cleo, "Hallo")
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    stats = await emulator.ask(organiser, "/statistik")
    assert stats.method == "sendPhoto" and stats.photo is not None
    assert stats.photo.content.startswith(b"\x89PNG")
    assert "Zusagen: 1 (3 Personen)" in stats.plain_text
    assert "Absagen: 1" in stats.plain_text
    assert "Freie Plätze: 7 von 10" in stats.plain_text
    assert "Noch keine Antwort: 2" in stats.plain_text  # Cleo and the organiser


@pytest.mark.parametrize("command", ["/export", "/stats", "/statistik"])
async def test_non_organisers_are_refused_politely(
    bot: RunningBot, emulator: TelegramEmulator, command: str
) -> None:
    anna = emulator.user(language_code="de")
    reply = await emulator.ask(anna, command)
    assert reply.plain_text == "Diese Funktion steht nur dem Orga-Team zur Verfügung."
    await bot.settled()
    assert emulator.messages_to(anna) == [reply]


async def test_increase_without_free_seats_keeps_the_registration(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(programme=with_capacity(3))
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=1)
    await register_and_confirm(emulator, ben, persons=2)
    summary = await emulator.ask(anna, "/anmelden")
    fields = await tap(emulator, anna, summary, "Ändern")
    question = await tap(emulator, anna, fields, "Personen")
    summary = await tap(emulator, anna, question, "3")
    answer = await tap(emulator, anna, summary, "Bestätigen")
    assert "bisherige Anmeldung bleibt bestehen" in answer.plain_text
    registration = await bot.services.registrations.current(anna.id)
    assert registration is not None and registration.persons == 1


async def test_sticker_in_the_middle_does_not_break_the_flow(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    question = await emulator.ask(anna, "/anmelden")
    question = await tap(emulator, anna, question, "Ja, ich komme")
    mark = emulator.mark()
    emulator.send_sticker(anna)
    assert "nur Textnachrichten" in (await emulator.wait_for(anna, since=mark)).plain_text
    assert "Organisation" in (await emulator.ask(anna, "Anna")).plain_text


def test_event_dates_used_here_match_the_shipped_programme() -> None:
    programme = load_programme(SHIPPED_PROGRAMME)
    assert programme.event.rsvp_deadline == datetime(2025, 6, 3, 21, 59, tzinfo=UTC)
    assert programme.event.starts_at - timedelta(minutes=30) < datetime(
        2025, 6, 10, 15, 30, tzinfo=UTC
    )
