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


def test_learned_faq_buttons_keep_their_data() -> None:
    assert questions.save_faq(17) == "faq:save:17"
    assert questions.unhelpful(5) == "faq:nohelp:5"
    assert [questions.carry_over(3), questions.drop(3)] == ["faq:carry:3", "faq:drop:3"]
    assert questions.FAQ_RUN_PREFIX == "fq"
    assert re.match(questions.SAVE_FAQ_PATTERN, "faq:save:17")
    assert re.match(questions.UNHELPFUL_PATTERN, "faq:nohelp:5")
    assert re.match(questions.EARLIER_ENTRY_PATTERN, "faq:drop:3")
    assert not re.match(questions.EARLIER_ENTRY_PATTERN, "faq:drop:x")
    assert questions.parse_id("faq:save:17", questions.SAVE_FAQ_PREFIX) == 17
    assert questions.parse_id("faq:save:-1", questions.SAVE_FAQ_PREFIX) is None
    assert questions.parse_id("faq:nohelp:5", questions.SAVE_FAQ_PREFIX) is None


def test_stop_and_addition_buttons_keep_their_data() -> None:
    assert [announcements.stop(8), announcements.stop(8, "yes"), announcements.stop(8, "no")] == [
        "bcc:8",
        "bcc:yes:8",
        "bcc:no:8",
    ]
    assert announcements.parse_stop("bcc:8") == ("", 8)
    assert announcements.parse_stop("bcc:yes:8") == ("yes", 8)
    assert all(re.match(announcements.STOP_PATTERN, d) for d in ("bcc:8", "bcc:no:8"))
    assert not re.match(announcements.STOP_PATTERN, "bcc:maybe:8")
    longest = questions.addition("skip", 2**31, 2**31)
    assert questions.addition("add", 17, 4242) == "qa:add:17:4242"
    assert questions.parse_addition("qa:skip:17:4242") == ("skip", 17, 4242)
    assert re.match(questions.ADDITION_PATTERN, longest) and len(longest.encode()) <= 64
    assert not re.match(questions.ADDITION_PATTERN, "qa:add:17")
    # The announcement conversation's organisation buttons: b:<run>:o:<id>, p:<page>, od.
    assert len(f"{announcements.RUN_PREFIX}:abcdef:o:{2**63}".encode()) <= 64
