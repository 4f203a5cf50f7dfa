"""Organisers edit the programme file; the bot validates it, swaps it in and tells partners.

An invalid file keeps the current programme. Changes partners must know about (event or keynote
time, venue, keynote speaker) reach every confirmed partner once, in their language, with an
updated calendar file (same UID, newer SEQUENCE). Other edits only change what the bot answers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.core.event_context import EventContext
from bot.core.texts import Html, Texts
from bot.core.timefmt import format_datetime, format_time
from bot.outbox.fanout import Fanout, Recipient
from bot.programme.diff import Change, ChangeKind, diff_programmes, notifying
from bot.programme.model import LANGUAGES, Language, Programme, ProgrammeError, load_programme
from bot.registration.calendar import CalendarEntry, build_calendar, calendar_filename
from bot.registration.rules import Status
from bot.registration.service import RegistrationService
from storage.models import Registration, User
from storage.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    changes: list[Change] = field(default_factory=list)
    told: int = 0
    error: str | None = None


def _moments(before: datetime, after: datetime, language: Language) -> tuple[str, str]:
    """("um 18:30 Uhr", "18:00 Uhr") on the same day, full dates otherwise."""
    if before.date() == after.date():
        prefix = "um " if language == "de" else "at "
        return prefix + format_time(after, language), format_time(before, language)
    prefix = "am " if language == "de" else "on "
    return prefix + format_datetime(after, language), format_datetime(before, language)


def describe_change(texts: Texts, change: Change, language: Language) -> Html:
    before, after = change.before, change.after
    if isinstance(before, datetime) and isinstance(after, datetime):
        after_text, before_text = _moments(before, after, language)
    else:
        after_text, before_text = str(after), str(before)
    return texts.get(language, f"update.{change.kind.value}", after=after_text, before=before_text)


class ProgrammeService:
    def __init__(
        self,
        event: EventContext,
        programme_file: Path,
        swap: Callable[[Programme], Awaitable[None]],
        registrations: RegistrationService,
        fanout: Fanout,
    ) -> None:
        self._event = event
        self._programme_file = programme_file
        self._swap = swap
        self._registrations = registrations
        self._fanout = fanout
        self._mtime = self._read_mtime()

    def _read_mtime(self) -> float | None:
        try:
            return self._programme_file.stat().st_mtime
        except OSError:
            return None

    def changed_on_disk(self) -> bool:
        return self._read_mtime() != self._mtime

    async def reload(self) -> ReloadResult:
        self._mtime = self._read_mtime()
        try:
            new = load_programme(self._programme_file)
        except ProgrammeError as error:
            log.warning("Programme reload refused: the file is invalid")
            return ReloadResult(error=str(error))
        changes = diff_programmes(self._event.programme, new)
        if not changes:
            return ReloadResult()
        await self._swap(new)
        await self._registrations.sync_event()
        told = await self._tell_partners(new, notifying(changes)) if notifying(changes) else 0
        log.info("Programme reloaded: %d changes, %d partners told", len(changes), told)
        return ReloadResult(changes, told)

    async def _tell_partners(self, programme: Programme, changes: list[Change]) -> int:
        """Every confirmed partner gets the changes and a calendar file with a newer SEQUENCE."""
        now = self._event.clock.now()
        digest = hashlib.sha256(
            json.dumps([[c.kind, str(c.after)] for c in changes]).encode()
        ).hexdigest()[:16]
        key = f"{programme.event_key}:update:{digest}"[:100]
        texts = {language: self._text(programme, changes, language) for language in LANGUAGES}

        async def confirmed_with_newer_calendar(
            repositories: Repositories,
        ) -> list[tuple[Registration, User]]:
            await repositories.registrations.raise_calendar_sequence(programme.event_key)
            return await repositories.registrations.partners(
                programme.event_key, Status.CONFIRMED.value
            )

        def payload(recipient: Recipient) -> str:
            registration, language = recipient.registration, recipient.language
            entry = CalendarEntry(
                uid_seed=registration.calendar_uid,
                attendee_name=registration.name,
                persons=registration.persons,
                sequence=registration.calendar_sequence,
            )
            calendar = build_calendar(programme, entry, language, now)
            items: list[dict[str, Any]] = [
                {"kind": "text", "text": texts[language], "parse_mode": "HTML"},
                {
                    "kind": "document",
                    "content_b64": base64.b64encode(calendar).decode(),
                    "filename": calendar_filename(programme, language),
                },
            ]
            return json.dumps(items)

        return await self._fanout.queue(key, confirmed_with_newer_calendar, payload, now)

    def _text(self, programme: Programme, changes: list[Change], language: Language) -> str:
        texts = self._event.texts
        lines = [
            texts.get(language, "update.header", event=programme.event.title.get(language)),
            *(describe_change(texts, change, language) for change in changes),
            texts.get(language, "update.calendar"),
        ]
        return "\n".join(lines)


def other_changes(changes: list[Change]) -> str | None:
    """What changed without a message to partners, for the organiser's report."""
    return next((str(c.after) for c in changes if c.kind is ChangeKind.OTHER), None)
