"""The .ics file a partner gets on confirming an RSVP: the event and the keynote in their calendar.

UIDs come from a random token stored with the registration, so a file re-sent after a change
(more persons, a moved keynote) updates the existing calendar entries instead of adding
duplicates, and a forwarded file reveals nothing about the partner. SEQUENCE tells calendar apps
which version is newer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone

from bot.core.clock import BERLIN
from bot.programme.model import Language, Programme

PRODID = "-//Partnerbot//Partnerbot Calendar//DE"
TZID = "Europe/Berlin"
KEYNOTE_DEFAULT_LENGTH = timedelta(minutes=45)
REMINDER_BEFORE = timedelta(days=1)

# Calendar-file content, not chat texts: the few words the file itself contains.
_WORDS: dict[Language, dict[str, str]] = {
    "de": {
        "registered": "Angemeldet: {name}, für {persons}",
        "person": "{n} Person",
        "persons": "{n} Personen",
        "reminder": "Morgen: {title}",
    },
    "en": {
        "registered": "Registered: {name}, for {persons}",
        "person": "{n} person",
        "persons": "{n} persons",
        "reminder": "Tomorrow: {title}",
    },
}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_MAX_FILENAME_STEM = 48


@dataclass(frozen=True)
class CalendarEntry:
    """One partner's registration, as far as the calendar file needs it."""

    uid_seed: str  # random, stored with the registration, the same for every re-sent file
    attendee_name: str
    persons: int
    sequence: int = 0  # raised each time the registration or the programme changes


def _uid(entry: CalendarEntry, part: str) -> str:
    """Stable per partner and event, so a re-sent file replaces the earlier entry."""
    return f"{entry.uid_seed}-{part}@partnerbot"


def _persons(persons: int, language: Language) -> str:
    words = _WORDS[language]
    return (words["person"] if persons == 1 else words["persons"]).format(n=persons)


def _berlin_timezone(first: datetime, last: datetime) -> Timezone:
    """A VTIMEZONE covering the event's years; the full 1970-2038 range would only add bulk."""
    return Timezone.from_tzinfo(
        BERLIN,
        tzid=TZID,
        first_date=date(first.astimezone(BERLIN).year, 1, 1),
        last_date=date(last.astimezone(BERLIN).year + 2, 1, 1),
    )


def _base_event(
    programme: Programme,
    entry: CalendarEntry,
    part: str,
    start: datetime,
    end: datetime,
    now: datetime,
) -> Event:
    venue = programme.event.venue
    event = Event()
    event.add("uid", _uid(entry, part))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", entry.sequence)
    # Zoneinfo times make icalendar write TZID=Europe/Berlin, matching the VTIMEZONE.
    event.add("dtstart", start.astimezone(BERLIN))
    event.add("dtend", end.astimezone(BERLIN))
    event.add("location", f"{venue.name}, {venue.address}")
    event.add("geo", (venue.latitude, venue.longitude))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_calendar(
    programme: Programme, entry: CalendarEntry, language: Language, now: datetime
) -> bytes:
    """The .ics file for one partner: the event with a reminder a day before, and the keynote."""
    if now.tzinfo is None:
        raise ValueError("build_calendar needs an aware `now`")
    words = _WORDS[language]
    event_info = programme.event
    keynote_info = programme.keynote
    title = event_info.title.get(language)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)

    keynote_end = keynote_info.ends_at or keynote_info.starts_at + KEYNOTE_DEFAULT_LENGTH
    calendar.add_component(
        _berlin_timezone(event_info.starts_at, max(event_info.ends_at, keynote_end))
    )

    event = _base_event(programme, entry, "event", event_info.starts_at, event_info.ends_at, now)
    event.add("summary", title)
    registered = words["registered"].format(
        name=entry.attendee_name, persons=_persons(entry.persons, language)
    )
    event.add("description", f"{event_info.description.get(language)}\n\n{registered}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMINDER_BEFORE)
    alarm.add("description", words["reminder"].format(title=title))
    event.add_component(alarm)
    calendar.add_component(event)

    keynote = _base_event(programme, entry, "keynote", keynote_info.starts_at, keynote_end, now)
    keynote.add("summary", f"Keynote: {keynote_info.title.get(language)} – {keynote_info.speaker}")
    keynote.add("description", keynote_info.abstract.get(language))
    calendar.add_component(keynote)

    return calendar.to_ical()


def calendar_filename(programme: Programme, language: Language) -> str:
    """An ASCII, path-safe file name from the event title, e.g. `klimakonferenz-der-stadt.ics`."""
    text = programme.event.title.get(language).lower().translate(_UMLAUTS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(stem) > _MAX_FILENAME_STEM:
        stem = stem[:_MAX_FILENAME_STEM].rsplit("-", 1)[0]
    return f"{stem or 'event'}.ics"
