"""Reminders before the conference and the keynote, and programme updates reaching partners.

The clock is the test's: each test moves it and lets the reminder desk look, as its jobs do.
One test at the end runs on real time with offsets of seconds.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from icalendar import Calendar

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.programme.model import SHIPPED_PROGRAMME, programme_data
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap, with_capacity
from tests.harness import RunningBot, StartBot

EVENT_START = datetime(2025, 6, 10, 15, 0, tzinfo=UTC)  # 17:00 in Leipzig
KEYNOTE_START = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
ORGANISER_ID = 7373


async def registered(bot: RunningBot, emulator: TelegramEmulator, language: str = "de") -> User:
    partner = emulator.user(language_code=language)
    await emulator.ask(partner, "/start")
    answers = RsvpAnswers(attending=True, name="Anna", language=language)  # type: ignore[arg-type]
    await bot.services.registrations.submit(partner.id, answers)
    return partner


async def reminders_at(bot: RunningBot, moment: datetime) -> int:
    bot.clock.set(moment)
    return await bot.services.reminders.run_due()


async def next_message(emulator: TelegramEmulator, partner: User, mark: int) -> SentMessage:
    return await emulator.wait_for(partner, since=mark, timeout=10)


async def test_each_reminder_goes_out_at_its_moment_in_the_partners_language(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = await registered(bot, emulator, "de")
    john = await registered(bot, emulator, "en")
    assert await reminders_at(bot, EVENT_START - timedelta(days=7, seconds=1)) == 0
    mark = emulator.mark()
    assert await reminders_at(bot, EVENT_START - timedelta(days=7)) == 2
    german = await next_message(emulator, anna, mark)
    english = await next_message(emulator, john, mark)
    assert "Erinnerung: Klimakonferenz der Stadt Leipzig" in german.plain_text
    assert "Dienstag, 10. Juni, 17:00 Uhr – in 7 Tage" in german.plain_text
    assert "Naschmarkt 1, 04109 Leipzig" in german.plain_text
    assert "Reminder: Climate Conference" in english.plain_text
    assert english.button_texts == ["📋 Programme", "📅 Calendar"]

    mark = emulator.mark()
    assert await reminders_at(bot, KEYNOTE_START - timedelta(minutes=15)) == 2
    keynote = await next_message(emulator, anna, mark)
    assert "Die Keynote von Prof. Dr. Anders Levermann beginnt 18:00 Uhr" in keynote.plain_text


async def test_a_partner_who_registered_in_german_on_an_english_phone_is_reminded_in_german(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    partner = emulator.user(language_code="en")
    await emulator.ask(partner, "/start")
    answers = RsvpAnswers(attending=True, name="Anna", language="de")
    await bot.services.registrations.submit(partner.id, answers)
    mark = emulator.mark()
    assert await reminders_at(bot, EVENT_START - timedelta(days=1)) == 1
    assert "Erinnerung" in (await next_message(emulator, partner, mark)).plain_text


async def test_a_reminder_is_never_sent_twice(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    first = await start_bot()
    anna = await registered(first, emulator)
    mark = emulator.mark()
    assert await reminders_at(first, EVENT_START - timedelta(days=1)) == 1
    assert await first.services.reminders.run_due() == 0  # the job fires again
    assert "Erinnerung" in (await next_message(emulator, anna, mark)).plain_text
    await first.settled()
    await first.stop()

    again = await start_bot(now=EVENT_START - timedelta(hours=23))  # restart after the due time
    assert await again.services.reminders.run_due() == 0
    await again.settled()
    reminders = [m for m in emulator.messages_to(anna) if "Erinnerung" in m.plain_text]
    assert len(reminders) == 1


async def test_downtime_sends_what_still_makes_sense_and_skips_the_rest(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = await registered(bot, emulator)
    # Down across the 7d reminder; back two days before: "in 7 days" would be wrong now.
    assert await reminders_at(bot, EVENT_START - timedelta(days=2)) == 0
    # Back an hour after the 1d reminder was due: still useful, sent once.
    mark = emulator.mark()
    assert await reminders_at(bot, EVENT_START - timedelta(hours=23)) == 1
    assert "in 23 Stunden" in (await next_message(emulator, anna, mark)).plain_text


async def test_a_partner_who_registers_later_gets_no_stale_reminder(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    early = await registered(bot, emulator)
    bot.clock.set(datetime(2025, 6, 3, 18, 0, tzinfo=UTC))  # after the 7d reminder's time
    late = await registered(bot, emulator)
    mark = emulator.mark()
    assert await bot.services.reminders.run_due() == 1  # the 7d reminder, three hours late
    assert "Erinnerung" in (await next_message(emulator, early, mark)).plain_text
    await bot.settled()
    assert emulator.messages_to(late, since=mark) == []
    mark = emulator.mark()
    assert await reminders_at(bot, EVENT_START - timedelta(days=1)) == 2
    assert "Erinnerung" in (await next_message(emulator, late, mark)).plain_text


async def test_waitlisted_partners_get_their_own_note(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(programme=with_capacity(1))
    confirmed = await registered(bot, emulator)
    waiting = emulator.user(language_code="de")
    await emulator.ask(waiting, "/start")
    answers = RsvpAnswers(attending=True, name="Ben", waitlist_ok=True)
    assert (await bot.services.registrations.submit(waiting.id, answers)).outcome == "waitlisted"
    mark = emulator.mark()
    assert await reminders_at(bot, EVENT_START - timedelta(days=1)) == 2
    note = await next_message(emulator, waiting, mark)
    assert "noch auf der Warteliste" in note.plain_text
    assert "Erinnerung" in (await next_message(emulator, confirmed, mark)).plain_text


async def test_partners_can_switch_reminders_off_and_on(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = await registered(bot, emulator)
    menu = await emulator.ask(anna, "/erinnerungen")
    assert "eingeschaltet" in menu.plain_text
    emulator.click(anna, menu, "Ausschalten")
    assert "jetzt ausgeschaltet" in (await emulator.wait_for_edit(menu)).plain_text
    assert await reminders_at(bot, EVENT_START - timedelta(days=7)) == 0
    menu = await emulator.ask(anna, "/erinnerungen")
    emulator.click(anna, menu, "Einschalten")
    await emulator.wait_for_edit(menu)
    assert await reminders_at(bot, EVENT_START - timedelta(days=1)) == 1


async def test_reminder_buttons_show_programme_and_calendar(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = await registered(bot, emulator)
    mark = emulator.mark()
    await reminders_at(bot, EVENT_START - timedelta(days=1))
    reminder = await next_message(emulator, anna, mark)
    programme = await tap(emulator, anna, reminder, "Programm")
    assert "Ablauf" in programme.plain_text
    calendar = await tap(emulator, anna, reminder, "Kalender")
    assert calendar.document is not None and calendar.document.filename.endswith(".ics")


def edited_programme(tmp_path: Path, **changes: str) -> Path:
    data = programme_data(SHIPPED_PROGRAMME)
    if "keynote_start" in changes:
        data["keynote"]["starts_at"] = changes["keynote_start"]
    if "faq_answer" in changes:
        data["faq"][6]["answer"]["de"] = changes["faq_answer"]
    if "broken" in changes:
        data["event"]["starts_at"] = "bald"
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def test_moved_keynote_reaches_partners_with_an_updated_calendar(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    path = edited_programme(tmp_path)
    bot = await start_bot(programme_file=path, admin_ids=frozenset({ORGANISER_ID}))
    anna = await registered(bot, emulator, "de")
    old = await bot.services.registrations.current(anna.id)
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    edited_programme(tmp_path, keynote_start="2025-06-10T18:30:00+02:00")
    mark = emulator.mark()
    report = await emulator.ask(organiser, "/neu_laden")
    assert "Die Keynote beginnt jetzt um 18:30 Uhr statt 18:00 Uhr." in report.plain_text
    assert "Benachrichtigt: 1 Partner" in report.plain_text
    update = await next_message(emulator, anna, mark)
    assert "Die Keynote beginnt jetzt um 18:30 Uhr statt 18:00 Uhr." in update.plain_text
    document = await emulator.wait_for(anna, since=mark, count=2, timeout=10)
    calendar = Calendar.from_ical(document.document.content)
    keynote = next(event for event in calendar.walk("VEVENT") if "Keynote" in event["SUMMARY"])
    assert keynote.decoded("DTSTART") == datetime(2025, 6, 10, 16, 30, tzinfo=UTC)
    assert keynote["UID"].startswith(old.calendar_uid)
    assert "18:30 Uhr" in (await emulator.ask(anna, "/keynote")).plain_text
    # The keynote reminder follows the new time.
    mark = emulator.mark()
    assert await reminders_at(bot, datetime(2025, 6, 10, 16, 15, tzinfo=UTC)) == 1
    assert "beginnt 18:30 Uhr" in (await next_message(emulator, anna, mark)).plain_text


async def test_other_edits_change_answers_without_messaging_anyone(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    path = edited_programme(tmp_path)
    bot = await start_bot(programme_file=path, admin_ids=frozenset({ORGANISER_ID}))
    anna = await registered(bot, emulator)
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    edited_programme(tmp_path, faq_answer="Parken im Hof der Handelsbörse.")
    mark = emulator.mark()
    report = await emulator.ask(organiser, "/neu_laden")
    assert "Sonstige Änderungen" in report.plain_text
    assert "Benachrichtigt: 0 Partner" in report.plain_text
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == []
    assert "Hof der Handelsbörse" in (await emulator.ask(anna, "Wo kann ich parken?")).plain_text


async def test_invalid_programme_keeps_the_old_one_and_names_the_field(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    path = edited_programme(tmp_path)
    await start_bot(programme_file=path, admin_ids=frozenset({ORGANISER_ID}))
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    edited_programme(tmp_path, broken="yes")
    report = await emulator.ask(organiser, "/neu_laden")
    assert "das bisherige Programm bleibt gültig" in report.plain_text
    assert "event.starts_at" in report.plain_text
    assert "18:00 Uhr" in (await emulator.ask(organiser, "/keynote")).plain_text


async def test_a_keyword_written_no_is_refused_on_reload_with_a_hint_to_quote(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    path = edited_programme(tmp_path)
    await start_bot(programme_file=path, admin_ids=frozenset({ORGANISER_ID}))
    organiser = emulator.user(id=ORGANISER_ID, language_code="de")
    text = path.read_text(encoding="utf-8")
    assert text.count("- parken\n") == 1
    path.write_text(text.replace("- parken\n", "- No\n"), encoding="utf-8")
    report = await emulator.ask(organiser, "/neu_laden")
    assert "das bisherige Programm bleibt gültig" in report.plain_text
    assert ".keywords[0]: YAML read this as the yes/no value false" in report.plain_text
    assert "put the text in quotes" in report.plain_text


async def test_only_organisers_may_reload(bot: RunningBot, emulator: TelegramEmulator) -> None:
    anna = emulator.user(language_code="de")
    assert "nur dem Orga-Team" in (await emulator.ask(anna, "/neu_laden")).plain_text


async def test_reminders_fire_on_real_time(start_bot: StartBot, emulator: TelegramEmulator) -> None:
    """A programme whose event starts a minute from now, with reminders seconds away."""
    now = datetime.now(UTC).replace(microsecond=0)
    programme = with_capacity(10)
    event = programme.event.model_copy(
        update={
            "starts_at": now + timedelta(seconds=60),
            "ends_at": now + timedelta(hours=2),
            "rsvp_deadline": now + timedelta(seconds=30),
        }
    )
    keynote = programme.keynote.model_copy(update={"starts_at": now + timedelta(seconds=70)})
    programme = programme.model_copy(
        update={
            "event": event,
            "keynote": keynote,
            "reminders": [timedelta(seconds=54)],
            "keynote_reminders": [timedelta(seconds=62)],
        }
    )
    bot = await start_bot(programme=programme, real_time=True)
    anna = await registered(bot, emulator)
    mark = emulator.mark()
    event_reminder = await emulator.wait_for(anna, since=mark, timeout=20)
    assert "Erinnerung" in event_reminder.plain_text
    keynote_reminder = await emulator.wait_for(anna, since=mark, count=2, timeout=20)
    assert "Keynote" in keynote_reminder.plain_text


async def test_a_changed_file_is_noticed_without_a_command(
    start_bot: StartBot, emulator: TelegramEmulator, tmp_path: Path
) -> None:
    path = edited_programme(tmp_path)
    bot = await start_bot(programme_file=path)
    assert not bot.services.programme.changed_on_disk()
    edited_programme(tmp_path, faq_answer="Parken im Hof.")
    os.utime(path, (1, 1))  # a new modification time, whatever the file system's resolution
    assert bot.services.programme.changed_on_disk()
    result = await bot.services.programme.reload()
    assert [change.kind.value for change in result.changes] == ["other"]
    assert not bot.services.programme.changed_on_disk()
