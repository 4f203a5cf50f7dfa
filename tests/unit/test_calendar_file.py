"""The .ics file partners get: parsed back with icalendar, as a calendar app would read it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar, Component

from bot.core.clock import BERLIN
from bot.programme.model import Language, Programme
from bot.registration.calendar import CalendarEntry, build_calendar, calendar_filename

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SEED = "5f0c9d2be1a84c7b9e3d6a1f2c4b8e07"
ENTRY = CalendarEntry(uid_seed=SEED, attendee_name="Anna Müller", persons=2)


def parse(
    programme: Programme,
    entry: CalendarEntry = ENTRY,
    language: Language = "de",
    now: datetime = NOW,
) -> Calendar:
    return Calendar.from_ical(build_calendar(programme, entry, language, now))


def events(calendar: Calendar) -> list[Component]:
    return [component for component in calendar.walk("VEVENT")]


def uids(calendar: Calendar) -> list[str]:
    return [str(event["UID"]) for event in events(calendar)]


def test_calendar_header(programme: Programme) -> None:
    calendar = parse(programme)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["CALSCALE"] == "GREGORIAN"


@pytest.mark.parametrize("language", ["de", "en"])
def test_event_and_keynote_summaries(programme: Programme, language: Language) -> None:
    event, keynote = events(parse(programme, language=language))
    assert event["SUMMARY"] == programme.event.title.get(language)
    assert keynote["SUMMARY"] == (
        f"Keynote: {programme.keynote.title.get(language)} – {programme.keynote.speaker}"
    )


def test_persons_in_the_description(programme: Programme) -> None:
    assert "für 2 Personen" in str(events(parse(programme, language="de"))[0]["DESCRIPTION"])
    assert "for 2 persons" in str(events(parse(programme, language="en"))[0]["DESCRIPTION"])
    single = CalendarEntry(SEED, "Ben", persons=1)
    assert "for 1 person" in str(events(parse(programme, single, "en"))[0]["DESCRIPTION"])


def test_keynote_starts_at_six_in_berlin(programme: Programme) -> None:
    keynote = events(parse(programme))[1]
    start = keynote.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.astimezone(BERLIN).time() == time(18, 0)
    assert keynote["DTSTART"].params["TZID"] == "Europe/Berlin"
    expected_end = programme.keynote.ends_at or programme.keynote.starts_at + timedelta(minutes=45)
    assert keynote.decoded("DTEND") == expected_end


def test_event_times_carry_the_berlin_zone(programme: Programme) -> None:
    event = events(parse(programme))[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == programme.event.starts_at
    assert event.decoded("DTEND") == programme.event.ends_at
    assert event.decoded("DTSTAMP") == NOW


def test_vtimezone_for_berlin_with_summer_offset(programme: Programme) -> None:
    (timezone,) = parse(programme).walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    summer = [daylight.decoded("TZOFFSETTO") for daylight in timezone.walk("DAYLIGHT")]
    assert timedelta(hours=2) in summer
    assert b"TZOFFSETTO:+0200" in timezone.to_ical()


def test_location_and_geo_match_the_venue(programme: Programme) -> None:
    venue = programme.event.venue
    for event in events(parse(programme)):
        assert event["LOCATION"] == f"{venue.name}, {venue.address}"
        geo = event["GEO"]
        assert (geo.latitude, geo.longitude) == pytest.approx((venue.latitude, venue.longitude))


def test_uid_is_stable_for_the_same_partner(programme: Programme) -> None:
    first = parse(programme)
    changed = CalendarEntry(SEED, "Anna Müller-Schmidt", persons=4, sequence=3)
    second = parse(programme, changed, "en", NOW + timedelta(days=3))
    assert uids(first) == uids(second)
    assert uids(first)[0].endswith("-event@partnerbot")
    assert uids(first)[1].endswith("-keynote@partnerbot")
    assert len(set(uids(first))) == 2


def test_uid_differs_for_another_registration(programme: Programme) -> None:
    mine = set(uids(parse(programme)))
    other = CalendarEntry("0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e", "Anna Müller", persons=2)
    assert mine.isdisjoint(uids(parse(programme, other)))


def test_uid_is_the_registration_token_and_nothing_else(programme: Programme) -> None:
    assert uids(parse(programme)) == [f"{SEED}-event@partnerbot", f"{SEED}-keynote@partnerbot"]


def test_sequence_is_carried(programme: Programme) -> None:
    entry = CalendarEntry(SEED, "Anna", persons=1, sequence=7)
    assert [event["SEQUENCE"] for event in events(parse(programme, entry))] == [7, 7]


def test_reminder_a_day_before(programme: Programme) -> None:
    event = events(parse(programme))[0]
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-1)
    assert programme.event.title.get("de") in str(alarm["DESCRIPTION"])


def test_awkward_name_round_trips(programme: Programme) -> None:
    name = 'Müller, Anna; "Orga"\nZeile zwei 🌍\\'
    entry = CalendarEntry(SEED, name, persons=3)
    description = str(events(parse(programme, entry))[0]["DESCRIPTION"])
    assert name in description


def test_filename_is_ascii_and_safe(programme: Programme) -> None:
    for language in ("de", "en"):
        filename = calendar_filename(programme, language)
        assert filename.endswith(".ics")
        assert filename.isascii()
        assert all(char.isalnum() or char in "-." for char in filename)
    assert calendar_filename(programme, "de").startswith("klimakonferenz")
    odd = programme.model_copy(
        update={
            "event": programme.event.model_copy(
                update={"title": programme.event.title.model_copy(update={"de": "Über / Ä ß"})}
            )
        }
    )
    assert calendar_filename(odd, "de") == "ueber-ae-ss.ics"
