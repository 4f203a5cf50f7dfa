"""Dates and times as people in Leipzig write them, shown in the event's time zone (Europe/Berlin).

`Dienstag, 10. Juni, 18:00 Uhr` and `Tuesday, 10 June, 6:00 pm`; hand-written because the
wanted English form (lower-case `pm`, day before month) is not a CLDR pattern.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.clock import BERLIN
from bot.programme.model import Language

_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def _local(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


def format_date(moment: datetime, language: Language, *, year: bool = False) -> str:
    """`Dienstag, 10. Juni` / `Tuesday, 10 June`, with the year when asked."""
    local = _local(moment)
    weekday = _WEEKDAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    if language == "de":
        text = f"{weekday}, {local.day}. {month}"
    else:
        text = f"{weekday}, {local.day} {month}"
    return f"{text} {local.year}" if year else text


def _clock(moment: datetime, language: Language) -> str:
    local = _local(moment)
    if language == "de":
        return f"{local:%H:%M}"
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"


def format_time(moment: datetime, language: Language) -> str:
    """`18:00 Uhr` / `6:00 pm`."""
    clock = _clock(moment, language)
    return f"{clock} Uhr" if language == "de" else clock


def format_datetime(moment: datetime, language: Language, *, year: bool = False) -> str:
    """`Dienstag, 10. Juni, 18:00 Uhr` / `Tuesday, 10 June, 6:00 pm`."""
    return f"{format_date(moment, language, year=year)}, {format_time(moment, language)}"


def format_time_range(start: datetime, end: datetime, language: Language) -> str:
    """`18:00–18:45 Uhr` / `6:00–6:45 pm`, the way a printed programme writes a slot."""
    if language == "de":
        return f"{_clock(start, language)}–{_clock(end, language)} Uhr"
    return f"{_clock(start, language)}–{_clock(end, language)}"


def format_duration(delta: timedelta, language: Language) -> str:
    """`2 Stunden 5 Minuten` / `2 hours 5 minutes`, rounded up to the minute, for countdowns."""
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = {
        "de": (("Tag", "Tage"), ("Stunde", "Stunden"), ("Minute", "Minuten")),
        "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes")),
    }[language]
    parts = [
        f"{amount} {names[0] if amount == 1 else names[1]}"
        for amount, names in zip((days, hours, minutes), units, strict=True)
        if amount
    ]
    return " ".join(parts[:2])
