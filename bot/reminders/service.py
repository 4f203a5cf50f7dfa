"""Reminders go out on time, in each partner's language, never lost and never twice.

The database is the source of truth: whenever a reminder is due (`bot.reminders.schedule.due_now`),
its recipients get an outbox row keyed by the reminder, and the unique (reminder key, partner) pair
makes a second run, a restart or two overlapping jobs harmless. Jobs only say "look now"; after
downtime the start-up run sends what still makes sense.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from bot.core.event_context import EventContext
from bot.core.texts import Html
from bot.core.timefmt import format_date, format_datetime, format_duration, format_time
from bot.outbox.fanout import Fanout, same_for_each_language
from bot.programme.model import Language
from bot.registration.rules import Status
from bot.reminders.callbacks import Shortcut
from bot.reminders.schedule import (
    Reminder,
    ReminderKind,
    due_now,
    next_due,
    reminder_schedule,
    skipped,
)

log = logging.getLogger(__name__)


class ReminderService:
    def __init__(self, event: EventContext, fanout: Fanout) -> None:
        self._event = event
        self._database, self._clock, self._texts = event.database, event.clock, event.texts
        self._fanout = fanout
        self._last_run: datetime | None = None

    async def wanted_by(self, user_id: int) -> bool:
        """Whether the user gets reminders; on until they turn them off."""
        async with self._database.transaction() as repositories:
            stored = await repositories.users.get(user_id)
        return stored.reminders_enabled if stored else True

    async def set_wanted(self, user_id: int, enabled: bool) -> None:
        async with self._database.transaction() as repositories:
            await repositories.users.set_reminders(user_id, enabled)

    def schedule(self) -> list[Reminder]:
        return reminder_schedule(self._event.programme)

    def next_due(self) -> datetime | None:
        return next_due(self.schedule(), self._clock.now())

    async def run_due(self) -> int:
        """Queue every reminder due now; returns how many partners were newly queued."""
        now, schedule = self._clock.now(), self.schedule()
        queued = 0
        for reminder in due_now(schedule, now):
            queued += await self._queue(reminder, now)
        for reminder in skipped(schedule, now, last_run=self._last_run):
            log.info("Reminder %s skipped: noticed too late to be useful", reminder.key)
        self._last_run = now
        return queued

    async def _queue(self, reminder: Reminder, now: datetime) -> int:
        status = Status.WAITLISTED if reminder.kind is ReminderKind.WAITLIST else Status.CONFIRMED
        event_key = self._event.event_key
        queued = await self._fanout.queue(
            reminder.key,
            # Registered after the reminder's time: no stale reminder for them.
            lambda repositories: repositories.registrations.partners(
                event_key, status.value, registered_by=reminder.due_at, wanting_reminders=True
            ),
            same_for_each_language(lambda language: self.render(reminder, language, now)),
            now,
        )
        if queued:
            log.info("Reminder %s queued for %d partners", reminder.key, queued)
        return queued

    def render(self, reminder: Reminder, language: Language, now: datetime) -> str:
        """The reminder as an outbox payload (JSON), with buttons for the programme and calendar."""
        programme, texts = self._event.programme, self._texts
        event = programme.event
        remaining = format_duration(reminder.anchor - now, language)
        text: Html
        if reminder.kind is ReminderKind.WAITLIST:
            text = texts.get(
                language,
                "reminder.waitlist",
                event=event.title.get(language),
                date=format_date(event.starts_at, language),
            )
        elif reminder.kind is ReminderKind.KEYNOTE:
            keynote = programme.keynote
            text = texts.get(
                language,
                "reminder.keynote",
                speaker=keynote.speaker,
                when=format_time(keynote.starts_at, language),
                remaining=remaining,
                title=keynote.title.get(language),
            )
        else:
            text = texts.get(
                language,
                "reminder.event",
                event=event.title.get(language),
                when=format_datetime(event.starts_at, language),
                remaining=remaining,
                venue=event.venue.name,
                address=event.venue.address,
                bring=event.bring.get(language) if event.bring else "",
            )
        payload: dict[str, Any] = {"kind": "text", "text": text.strip(), "parse_mode": "HTML"}
        if reminder.kind is not ReminderKind.WAITLIST:
            payload["buttons"] = [
                [
                    {
                        "text": texts.template(language, "reminder.button.programme"),
                        "callback_data": Shortcut.PROGRAMME.value,
                    },
                    {
                        "text": texts.template(language, "reminder.button.calendar"),
                        "callback_data": Shortcut.CALENDAR.value,
                    },
                ]
            ]
        return json.dumps(payload, ensure_ascii=False)
