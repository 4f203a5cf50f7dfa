"""CSV export of registrations for organisers, made to open cleanly in Excel and LibreOffice.

UTF-8 with a BOM so Excel shows umlauts; times in Leipzig time as `2025-06-10 18:00` so the
columns sort; cells that a spreadsheet would run as a formula are defused (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.clock import BERLIN
from bot.programme.model import Language

HEADERS: dict[Language, tuple[str, ...]] = {
    "de": (
        "Name",
        "Organisation",
        "Personen",
        "Ernährung",
        "Barrierefreiheit",
        "Status",
        "Sprache",
        "Angemeldet am",
        "Geändert am",
    ),
    "en": (
        "Name",
        "Organisation",
        "Persons",
        "Dietary requirements",
        "Accessibility",
        "Status",
        "Language",
        "Registered at",
        "Changed at",
    ),
}

TIME_FORMAT = "%Y-%m-%d %H:%M"
# German Excel splits columns at semicolons, English Excel at commas.
DELIMITERS: dict[Language, str] = {"de": ";", "en": ","}
# Spreadsheets treat cells starting with these as formulas (or strip them into one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportRow:
    """One registration as organisers see it; texts are already in the organiser's language."""

    name: str
    organisation: str | None
    persons: int
    dietary: str | None
    accessibility: str | None
    status: str  # already human-readable, e.g. "confirmed"/"bestätigt"
    language: str
    registered_at: datetime  # aware (UTC)
    changed_at: datetime  # aware
    extra: dict[str, str] = field(default_factory=dict)  # later columns, in order


def safe_cell(value: str | None) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe stops `=HYPERLINK(...)` and kin."""
    if value is None:
        return ""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def format_export_time(moment: datetime) -> str:
    """Leipzig time, sortable as text."""
    if moment.tzinfo is None:
        raise ValueError("export times must be timezone-aware")
    return moment.astimezone(BERLIN).strftime(TIME_FORMAT)


def registrations_csv(rows: Iterable[ExportRow], language: Language) -> bytes:
    """The registrations as CSV bytes, header in the organiser's language, extra columns last."""
    materialised = list(rows)
    extra_keys: list[str] = []
    for row in materialised:
        for key in row.extra:
            if key not in extra_keys:
                extra_keys.append(key)

    return table_csv(
        [*HEADERS[language], *extra_keys],
        (
            [
                row.name,
                row.organisation,
                str(row.persons),
                row.dietary,
                row.accessibility,
                row.status,
                row.language,
                format_export_time(row.registered_at),
                format_export_time(row.changed_at),
                *(row.extra.get(key) for key in extra_keys),
            ]
            for row in materialised
        ),
        language,
    )


def table_csv(
    headers: Iterable[str], rows: Iterable[Iterable[str | None]], language: Language
) -> bytes:
    """Any table as CSV for Excel and LibreOffice: BOM, the language's delimiter, cells defused."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITERS[language], lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in headers])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
