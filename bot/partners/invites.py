"""Invite links for partner organisations: codes, the organisers' options, CSV import, guessing.

An invite is a deep link `https://t.me/<bot>?start=<code>`. The code is the whole secret, so
it is 128 random bits; Telegram allows only `A-Za-z0-9_-` and at most 64 characters in a start
parameter, which `token_urlsafe` keeps to.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

CODE_BYTES = 16  # 128 bits; the issue asks for at least 96
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_NAME_LENGTH = 200
MAX_USES = 10_000
MAX_DAYS = 3_650

# Organisers write options after the name, in either language: `/invite Stadtwerke uses=3 days=14`.
_OPTION = re.compile(r"^(?P<key>[a-zäöü]+)=(?P<value>\S+)$", re.IGNORECASE)
_USES_KEYS = {"uses", "nutzungen"}
_DAYS_KEYS = {"days", "tage"}


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def looks_like_code(text: str) -> bool:
    """Shape only: anything else after /start is not an invite and is not counted as a guess."""
    return CODE_PATTERN.match(text) is not None


@dataclass(frozen=True)
class InviteProblem:
    key: str  # text key, e.g. "invite.usage"
    params: dict[str, object] = field(default_factory=dict)


def parse_invite_request(words: list[str]) -> OrganisationRow | InviteProblem:
    """`/invite <organisation> [uses=N] [days=N]`; options come last, in either language.

    Only trailing words are options, so a name may itself contain an `=`.
    """
    name_words = list(words)
    options: dict[str, int] = {}
    while name_words and (match := _OPTION.match(name_words[-1])):
        word = name_words.pop()
        key = match["key"].lower()
        if key not in _USES_KEYS | _DAYS_KEYS:
            return InviteProblem("invite.bad_option", {"option": word})
        limit = MAX_USES if key in _USES_KEYS else MAX_DAYS
        value = match["value"]
        if not value.isdigit() or not 1 <= int(value) <= limit:
            return InviteProblem("invite.bad_number", {"option": word, "maximum": limit})
        options["uses" if key in _USES_KEYS else "days"] = int(value)
    name = " ".join(name_words).strip()
    if not name:
        return InviteProblem("invite.usage")
    if len(name) > MAX_NAME_LENGTH:
        return InviteProblem("invite.name_too_long", {"maximum": MAX_NAME_LENGTH})
    return OrganisationRow(name, max_uses=options.get("uses"), valid_days=options.get("days"))


# ---------------------------------------------------------------- editing an organisation

_EDIT_KEYS: dict[str, str] = {
    "name": "name",
    "art": "kind",
    "kind": "kind",
    "kontakt": "contacts",
    "kontakte": "contacts",
    "contacts": "contacts",
    "contact": "contacts",
    "plätze": "places",
    "plaetze": "places",
    "places": "places",
    "personen": "places",
    "persons": "places",
}
MAX_PLACES = 1000


@dataclass(frozen=True)
class OrganisationChanges:
    """What an organiser changes; None leaves a field as it is, "" (or 0 places) clears it."""

    name: str | None = None
    kind: str | None = None
    contacts: str | None = None
    persons_allowed: int | None = None

    def __bool__(self) -> bool:
        return any(
            v is not None for v in (self.name, self.kind, self.contacts, self.persons_allowed)
        )


def parse_organisation_edit(text: str) -> tuple[str, OrganisationChanges] | InviteProblem:
    """`<organisation>; name=…; art=…; kontakt=…; plätze=N` (keys in either language).

    Semicolons separate the parts, so names and contacts may hold spaces and commas.
    """
    name, *parts = [part.strip() for part in text.split(";")]
    if not name:
        return InviteProblem("organisation.usage")
    values: dict[str, str] = {}
    for part in parts:
        key, equals, value = part.partition("=")
        field_name = _EDIT_KEYS.get(key.strip().lower())
        if not equals or field_name is None:
            return InviteProblem("organisation.bad_part", {"part": part})
        values[field_name] = value.strip()
    changes = organisation_changes(**values)
    return changes if isinstance(changes, InviteProblem) else (name, changes)


def organisation_changes(
    name: str | None = None,
    kind: str | None = None,
    contacts: str | None = None,
    places: str | None = None,
) -> OrganisationChanges | InviteProblem:
    """The checked changes, from the chat's `key=value` parts or the dashboard's form fields."""
    if name is not None and not name.strip():
        return InviteProblem("organisation.usage")
    if name is not None and len(name.strip()) > MAX_NAME_LENGTH:
        return InviteProblem("invite.name_too_long", {"maximum": MAX_NAME_LENGTH})
    if places is not None and (not places.isdigit() or int(places) > MAX_PLACES):
        return InviteProblem("organisation.bad_places", {"value": places, "maximum": MAX_PLACES})
    return OrganisationChanges(
        name=name.strip() if name is not None else None,
        kind=kind.strip()[:40] if kind is not None else None,
        contacts=contacts.strip()[:1000] if contacts is not None else None,
        persons_allowed=int(places) if places is not None else None,
    )


def new_organisation(
    name: str,
    kind: str | None = None,
    contacts: str | None = None,
    places: str | None = None,
    uses: str | None = None,
    days: str | None = None,
) -> OrganisationRow | InviteProblem:
    """An organisation and the options of its first link, from the dashboard's form."""
    if not name.strip():
        return InviteProblem("invite.usage")
    fields = organisation_changes(name, kind, contacts, places or None)
    if isinstance(fields, InviteProblem):
        return fields
    numbers: dict[str, int | None] = {}
    for option, value, limit in (("uses", uses, MAX_USES), ("days", days, MAX_DAYS)):
        if value and (not value.isdigit() or not 1 <= int(value) <= limit):
            return InviteProblem(
                "invite.bad_number", {"option": f"{option}={value}", "maximum": limit}
            )
        numbers[option] = int(value) if value else None
    return OrganisationRow(
        name=fields.name or name,
        kind=fields.kind or None,
        contacts=fields.contacts or None,
        persons_allowed=fields.persons_allowed or None,
        max_uses=numbers["uses"],
        valid_days=numbers["days"],
    )


# ---------------------------------------------------------------- importing organisations

# Header names organisers are likely to use, German or English, compared in lower case.
_COLUMNS: dict[str, set[str]] = {
    "name": {"name", "organisation", "organization", "partner", "firma", "einrichtung"},
    "kind": {"kind", "type", "art", "typ", "kategorie", "category"},
    "contacts": {"contacts", "contact", "kontakt", "kontakte", "ansprechpartner", "ansprechperson"},
    "persons_allowed": {"persons", "persons allowed", "personen", "plätze", "places", "seats"},
    "uses": {"uses", "nutzungen"},
    "days": {"days", "tage", "gültig tage", "valid days"},
}
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 2_000


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    kind: str | None = None
    contacts: str | None = None
    persons_allowed: int | None = None
    max_uses: int | None = None
    valid_days: int | None = None

    def expires_at(self, now: datetime) -> datetime | None:
        return now + timedelta(days=self.valid_days) if self.valid_days else None


@dataclass(frozen=True)
class ImportProblem:
    key: str
    params: dict[str, object] = field(default_factory=dict)


def parse_organisations_csv(data: bytes) -> list[OrganisationRow] | ImportProblem:
    """Rows of a spreadsheet export: `;` or `,`, UTF-8 with or without BOM, header in row one.

    The whole file is refused at the first bad row, naming the line, so an import never
    half-happens.
    """
    if len(data) > MAX_IMPORT_BYTES:
        return ImportProblem("invites.too_large", {"maximum": "1 MB"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what older German Excel saves as "CSV"
        except UnicodeDecodeError:
            return ImportProblem("invites.not_text")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return ImportProblem("invites.no_header")
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        for column, names in _COLUMNS.items():
            if cell in names and column not in columns:
                columns[column] = index
    if "name" not in columns:
        return ImportProblem("invites.no_name_column")
    rows: list[OrganisationRow] = []
    seen: set[str] = set()
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(cells, columns, line)
        if isinstance(row, ImportProblem):
            return row
        if row.name.lower() in seen:
            return ImportProblem("invites.duplicate", {"line": line, "name": row.name})
        seen.add(row.name.lower())
        rows.append(row)
        if len(rows) > MAX_IMPORT_ROWS:
            return ImportProblem("invites.too_many", {"maximum": MAX_IMPORT_ROWS})
    if not rows:
        return ImportProblem("invites.empty")
    return rows


def _row(cells: list[str], columns: dict[str, int], line: int) -> OrganisationRow | ImportProblem:
    def cell(column: str) -> str | None:
        index = columns.get(column)
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        return value or None

    name = cell("name")
    if name is None:
        return ImportProblem("invites.missing_name", {"line": line})
    if len(name) > MAX_NAME_LENGTH:
        return ImportProblem("invites.long_name", {"line": line, "maximum": MAX_NAME_LENGTH})
    numbers: dict[str, int | None] = {}
    for column, maximum in (("persons_allowed", 1000), ("uses", MAX_USES), ("days", MAX_DAYS)):
        value = cell(column)
        if value is not None and (not value.isdigit() or not 1 <= int(value) <= maximum):
            return ImportProblem("invites.bad_number", {"line": line, "value": value})
        numbers[column] = int(value) if value is not None else None
    kind, contacts = cell("kind"), cell("contacts")
    return OrganisationRow(
        name=name,
        kind=kind[:40] if kind else None,
        contacts=contacts[:1000] if contacts else None,
        persons_allowed=numbers["persons_allowed"],
        max_uses=numbers["uses"],
        valid_days=numbers["days"],
    )


# ---------------------------------------------------------------- guessing

Key = TypeVar("Key")  # who is counted: a user id, or a client address


class FailedCodes(Generic[Key]):
    """Invalid codes per user in a sliding window; after a few, codes are not even looked at.

    128-bit codes cannot be guessed anyway; this keeps someone from hammering the database
    and tells a confused partner to ask for a fresh link instead of retrying. The dashboard
    counts failed sign-ins the same way, by client address.
    """

    def __init__(self, limit: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self._limit = limit
        self._window = window
        self._failures: dict[Key, deque[datetime]] = {}

    def _recent(self, user_id: Key, now: datetime) -> deque[datetime]:
        failures = self._failures.get(user_id, deque())
        while failures and now - failures[0] >= self._window:
            failures.popleft()
        if not failures:
            self._failures.pop(user_id, None)
        return failures

    def blocked_for(self, user_id: Key, now: datetime) -> timedelta | None:
        """How long this user must wait, or None if they may try a code."""
        failures = self._recent(user_id, now)
        if len(failures) < self._limit:
            return None
        return failures[0] + self._window - now

    def record(self, user_id: Key, now: datetime) -> None:
        self._recent(user_id, now)
        self._failures.setdefault(user_id, deque()).append(now)
