"""Buttons already in partners' chats keep working: their callback data never changes."""

from __future__ import annotations

import re

from bot.announcements import callbacks as announcements
from bot.checkin import callbacks as checkin
from bot.core.language import LANGUAGE_PATTERN, language_choice, parse_language_choice
from bot.feedback import callbacks as feedback
from bot.privacy import callbacks as privacy
from bot.questions import callbacks as questions
from bot.registration import callbacks as registration
from bot.reminders import callbacks as reminders


def test_reminder_buttons_keep_their_data() -> None:
    assert [reminders.toggle(True), reminders.toggle(False)] == ["rem:on", "rem:off"]
    assert [s.value for s in reminders.Shortcut] == ["go:programme", "go:calendar"]
    assert re.match(reminders.TOGGLE_PATTERN, "rem:off")
    assert re.match(reminders.SHORTCUT_PATTERN, "go:calendar")


def test_feedback_buttons_keep_their_data() -> None:
    assert [data for _, data in feedback.star_buttons()] == [f"fb:{n}" for n in range(1, 6)]
    assert feedback.NO_COMMENT == "fb:none"
    assert feedback.parse_stars("fb:4") == 4
    assert feedback.parse_stars("fb:none") is None


def test_checkin_buttons_keep_their_data() -> None:
    data = checkin.check_in(12, 3, "tok_en-1")
    assert data == "ci:12:3:tok_en-1"
    assert checkin.parse_check_in(data) == checkin.CheckInTap(12, 3, "tok_en-1")
    assert checkin.parse_check_in("ci:x") is None
    assert checkin.pick(7) == "cs:7"
    assert checkin.parse_pick("cs:7") == 7
    assert re.match(checkin.PICK_PATTERN, "cs:7")
    assert checkin.undo(12, "tok_en-1") == "cu:12:tok_en-1"
    assert checkin.parse_undo("cu:12:tok_en-1") == checkin.UndoTap(12, "tok_en-1")
    assert checkin.parse_undo("cu:x") is None
    assert re.match(checkin.UNDO_PATTERN, "cu:12:tok_en-1")


def test_registration_and_announcement_buttons_keep_their_data() -> None:
    assert (registration.RUN_PREFIX, announcements.RUN_PREFIX) == ("r", "b")
    assert registration.START_AGAIN == "rsvp:again"
    assert [registration.CHANGE, registration.CANCEL, registration.CANCEL_YES] == [
        "my:change",
        "my:cancel",
        "my:cancel:yes",
    ]
    assert registration.KEEP == "my:keep"
    assert announcements.failed_csv(5) == "bcx:5"
    assert announcements.parse_failed_csv("bcx:5") == 5


def test_language_and_privacy_buttons_keep_their_data() -> None:
    assert language_choice("de") == "lang:de"
    assert parse_language_choice("lang:en") == "en"
    assert parse_language_choice("lang:fr") is None
    assert re.match(LANGUAGE_PATTERN, "lang:de")
    assert privacy.erase_choice("erase", 42) == "pv:erase:42"
    assert privacy.parse_erase_choice("pv:keep:-42") == privacy.EraseChoice("keep", -42)
    assert privacy.parse_erase_choice("pv:erase:x") is None


def test_buttons_under_answers_about_the_bot_keep_their_data() -> None:
    assert questions.start_command("ticket") == "cmd:ticket"
    assert questions.RSVP == "cmd:rsvp"
    assert re.match(questions.COMMAND_PATTERN, "cmd:deletemydata")
    assert re.match(questions.RSVP_PATTERN, "cmd:rsvp")
