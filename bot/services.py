"""The pieces every handler needs, built once in the composition root (`bot.app`)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.exc import SQLAlchemyError

from bot.answers import Answerer
from bot.broadcasts import Broadcasts
from bot.checkin import CheckinDesk
from bot.clock import Clock
from bot.config import Settings
from bot.error_reports import ErrorReports
from bot.feedback_desk import FeedbackDesk
from bot.flood_control import FloodControl
from bot.language import resolve_language
from bot.organisers import Organisers
from bot.outbox import OutboxSender
from bot.partners import Partners
from bot.privacy import PrivacyDesk
from bot.programme import Language, Programme
from bot.programme_reload import ProgrammeReloader
from bot.registrations import Registrations
from bot.reminder_desk import ReminderDesk
from bot.send_budget import SendBudget
from bot.texts import Texts
from bot.views import ProgrammeViews
from bot.visitors import RecentVisitors
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventContent:
    """A programme with what is derived from it, swapped as one piece when the programme changes."""

    programme: Programme
    answerer: Answerer
    views: ProgrammeViews

    @classmethod
    def build(cls, programme: Programme, texts: Texts) -> EventContent:
        return cls(programme, Answerer(programme), ProgrammeViews(programme, texts))


@dataclass
class Services:
    settings: Settings
    database: Database
    clock: Clock
    texts: Texts
    content: EventContent
    token: str
    base_url: str
    outbox: OutboxSender
    budget: SendBudget
    visitors: RecentVisitors
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    conversation_timeout: float = 30 * 60  # seconds of silence that end a conversation
    started_at: float = field(default_factory=time.monotonic)  # for the uptime in /status

    @cached_property
    def error_reports(self) -> ErrorReports:
        return ErrorReports()

    @cached_property
    def flood_control(self) -> FloodControl:
        return FloodControl(self.settings.flood.max_updates, self.settings.flood.window)

    @cached_property
    def registrations(self) -> Registrations:
        return Registrations(self.database, self.clock, lambda: self.content.programme)

    @cached_property
    def partners(self) -> Partners:
        return Partners(self.database, self.clock)

    @cached_property
    def organisers(self) -> Organisers:
        return Organisers(self.database, self.clock, self.admin_ids)

    @cached_property
    def broadcasts(self) -> Broadcasts:
        return Broadcasts(
            self.database,
            self.clock,
            lambda: self.content.programme,
            self.settings.event.default_language,
        )

    @cached_property
    def reminders(self) -> ReminderDesk:
        return ReminderDesk(
            self.database,
            self.clock,
            self.texts,
            lambda: self.content.programme,
            self.settings.event.default_language,
            self.outbox.wake,
        )

    @cached_property
    def privacy(self) -> PrivacyDesk:
        return PrivacyDesk(
            self.database,
            self.clock,
            self.registrations,
            lambda: self.content.programme,
            retention_days=self.settings.privacy.retention_days,
            admin_ids=self.admin_ids,
        )

    @cached_property
    def checkin(self) -> CheckinDesk:
        return CheckinDesk(self.database, self.clock, lambda: self.content.programme)

    @cached_property
    def feedback(self) -> FeedbackDesk:
        return FeedbackDesk(
            self.database,
            self.clock,
            self.texts,
            lambda: self.content.programme,
            self.settings.event.default_language,
            self.outbox.wake,
        )

    @cached_property
    def reloader(self) -> ProgrammeReloader:
        return ProgrammeReloader(self)

    def swap_programme(self, programme: Programme) -> None:
        """Everything derived from the programme changes at once, so no handler sees a mix."""
        self.content = EventContent.build(programme, self.texts)

    def is_admin(self, user_id: int) -> bool:
        """Admins (ADMIN_IDS) are organisers who can also add and remove organisers."""
        return user_id in self.admin_ids

    async def is_organiser(self, user_id: int) -> bool:
        """Asked at every organiser action, so a removal takes effect at once."""
        if self.is_admin(user_id):
            return True
        async with self.database.transaction() as repositories:
            return await repositories.organisers.contains(user_id)

    async def language_of(self, user_id: int, app_language: str | None = None) -> Language:
        """The language to write to someone outside of their own update, or before
        `record_user` set it (flood control, the error handler): their choice, else their app's
        (`app_language` if the update says it, else the stored one), else the default.

        When the database itself is the problem, as it may be for the error handler, the app
        language serves.
        """
        chosen = stored_app = None
        try:
            async with self.database.transaction() as repositories:
                user = await repositories.users.get(user_id)
            if user is not None:
                chosen, stored_app = user.language, user.telegram_language
        except (SQLAlchemyError, OSError):
            log.warning("Could not read the language choice; using the app language")
        default = self.settings.event.default_language
        return resolve_language(chosen, app_language or stored_app, default)

    async def mark_unreachable(self, user_id: int) -> None:
        """A 403 from Telegram: the user blocked the bot. Their next message clears the mark."""
        async with self.database.transaction() as repositories:
            await repositories.users.mark_unreachable(user_id)
        self.visitors.forget(user_id)
