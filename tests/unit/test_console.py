"""The console's pretended moment: someone trying the bot after the event can still register."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.__main__ import warn_if_event_over
from bot.console import demo_moment, demo_note
from bot.core.clock import BERLIN
from bot.core.texts import Texts
from bot.programme.model import SHIPPED_PROGRAMME, Programme, load_programme
from bot.registration.rules import Window, registration_window

SHIPPED = load_programme(SHIPPED_PROGRAMME)  # 10 June 2025, 17:00–21:00; deadline 3 June
TUESDAY_20_MAY_10_00 = datetime(2025, 5, 20, 10, 0, tzinfo=BERLIN)


def moved(**event: datetime) -> Programme:
    return SHIPPED.model_copy(update={"event": SHIPPED.event.model_copy(update=event)})


def test_while_registration_is_open_the_console_keeps_the_real_time() -> None:
    assert demo_moment(SHIPPED, datetime(2025, 5, 1, 8, 0, tzinfo=UTC)) is None
    assert demo_moment(SHIPPED, datetime(2025, 6, 3, 21, 58, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 2, 1, 0, tzinfo=UTC),  # long after the event
        datetime(2025, 6, 10, 19, 30, tzinfo=UTC),  # the evening after it ended
        datetime(2025, 6, 10, 16, 0, tzinfo=UTC),  # while it runs
        datetime(2025, 6, 5, 9, 0, tzinfo=UTC),  # after the deadline, before the event
    ],
)
def test_after_the_deadline_it_pretends_ten_o_clock_three_weeks_before(now: datetime) -> None:
    moment = demo_moment(SHIPPED, now)
    assert moment == TUESDAY_20_MAY_10_00
    assert registration_window(SHIPPED, moment) is Window.OPEN


def test_a_deadline_within_three_weeks_moves_it_to_the_day_before_the_deadline() -> None:
    programme = moved(rsvp_deadline=datetime(2025, 5, 12, 12, 0, tzinfo=BERLIN))
    moment = demo_moment(programme, datetime(2026, 1, 1, tzinfo=UTC))
    assert moment == datetime(2025, 5, 11, 10, 0, tzinfo=BERLIN)
    assert moment is not None and registration_window(programme, moment) is Window.OPEN


def test_it_is_ten_o_clock_in_leipzig_across_the_change_to_winter_time() -> None:
    programme = moved(
        starts_at=datetime(2025, 11, 10, 17, 0, tzinfo=BERLIN),
        ends_at=datetime(2025, 11, 10, 21, 0, tzinfo=BERLIN),
        rsvp_deadline=datetime(2025, 11, 3, 23, 59, tzinfo=BERLIN),
    )
    moment = demo_moment(programme, datetime(2026, 1, 1, tzinfo=UTC))
    assert moment is not None
    assert moment.astimezone(UTC) == datetime(2025, 10, 20, 8, 0, tzinfo=UTC)  # summer time


@pytest.mark.parametrize(
    ("language", "now", "expected"),
    [
        (
            "en",
            datetime(2026, 1, 1, tzinfo=UTC),
            "Demo time: Tuesday, 20 May 2025, 10:00 am. The event is over",
        ),
        (
            "de",
            datetime(2026, 1, 1, tzinfo=UTC),
            "Demo-Zeit: Dienstag, 20. Mai 2025, 10:00 Uhr. Die Veranstaltung ist schon vorbei",
        ),
        (
            "en",
            datetime(2025, 6, 5, tzinfo=UTC),
            "Demo time: Tuesday, 20 May 2025, 10:00 am. Registration has closed",
        ),
        (
            "de",
            datetime(2025, 6, 5, tzinfo=UTC),
            "Demo-Zeit: Dienstag, 20. Mai 2025, 10:00 Uhr. Die Anmeldung ist schon geschlossen",
        ),
    ],
)
def test_the_banner_says_the_pretended_moment_and_why_in_the_users_language(
    language: str, now: datetime, expected: str
) -> None:
    note = demo_note(Texts.load(), language, SHIPPED, now, TUESDAY_20_MAY_10_00)  # type: ignore[arg-type]
    assert note.startswith(expected)
    assert "--at" in note


def test_run_warns_once_about_an_event_that_is_over(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        warn_if_event_over(SHIPPED, SHIPPED_PROGRAMME, datetime(2025, 6, 10, 18, 59, tzinfo=UTC))
        assert caplog.records == []  # still running: nothing to say
        warn_if_event_over(SHIPPED, SHIPPED_PROGRAMME, datetime(2025, 6, 10, 19, 0, tzinfo=UTC))
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert str(SHIPPED_PROGRAMME) in record.getMessage()
    assert "ended on Tuesday, 10 June 2025, 9:00 pm" in record.getMessage()
