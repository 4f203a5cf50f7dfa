"""Times are shown in Leipzig's time zone, written as people there write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.timefmt import format_datetime, format_duration, format_time, format_time_range


def test_summer_time_is_shown_in_berlin_time() -> None:
    moment = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
    assert format_datetime(moment, "de") == "Dienstag, 10. Juni, 18:00 Uhr"
    assert format_datetime(moment, "en") == "Tuesday, 10 June, 6:00 pm"


def test_winter_time_uses_the_other_offset() -> None:
    moment = datetime(2025, 12, 2, 17, 30, tzinfo=UTC)
    assert format_datetime(moment, "de", year=True) == "Dienstag, 2. Dezember 2025, 18:30 Uhr"
    assert format_datetime(moment, "en") == "Tuesday, 2 December, 6:30 pm"


def test_morning_noon_and_midnight_in_english() -> None:
    assert format_time(datetime(2025, 6, 10, 7, 5, tzinfo=UTC), "en") == "9:05 am"
    assert format_time(datetime(2025, 6, 10, 10, 0, tzinfo=UTC), "en") == "12:00 pm"
    assert format_time(datetime(2025, 6, 9, 22, 0, tzinfo=UTC), "en") == "12:00 am"
    assert format_time(datetime(2025, 6, 10, 7, 5, tzinfo=UTC), "de") == "09:05 Uhr"


def test_daylight_saving_change_night() -> None:
    # 30 March 2025: clocks jump from 02:00 to 03:00 in Leipzig.
    before = datetime(2025, 3, 30, 0, 59, tzinfo=UTC)
    after = before + timedelta(minutes=2)
    assert format_time(before, "de") == "01:59 Uhr"
    assert format_time(after, "de") == "03:01 Uhr"


def test_time_range_like_a_printed_programme() -> None:
    start = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
    assert format_time_range(start, start + timedelta(minutes=45), "de") == "18:00–18:45 Uhr"
    assert format_time_range(start, start + timedelta(minutes=45), "en") == "6:00 pm–6:45 pm"


def test_durations_round_up_to_the_minute() -> None:
    assert format_duration(timedelta(minutes=2, seconds=1), "de") == "3 Minuten"
    assert format_duration(timedelta(hours=1, minutes=1), "en") == "1 hour 1 minute"
    assert format_duration(timedelta(days=2, hours=3, minutes=4), "en") == "2 days 3 hours"
    assert format_duration(timedelta(seconds=5), "en") == "1 minute"
