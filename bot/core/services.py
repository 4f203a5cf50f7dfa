"""The pieces every handler needs, built once in the composition root (`bot.app`)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import cached_property

from bot.announcements.progress import AnnouncementProgress
from bot.announcements.service import AnnouncementService
from bot.checkin.service import CheckinService
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.error_reports import ErrorReports
from bot.core.event_context import EventContext
from bot.core.flood_control import FloodControl
from bot.core.send_budget import SendBudget
from bot.core.texts import Texts
from bot.core.users import UserService
from bot.core.visitors import RecentVisitors
from bot.dashboard.service import DashboardService
from bot.feedback.service import FeedbackService
from bot.organisers.service import OrganiserService
from bot.outbox.fanout import Fanout
from bot.outbox.sender import OutboxSender
from bot.partners.service import PartnerService
from bot.privacy.service import PrivacyService
from bot.programme.model import Programme
from bot.programme.service import ProgrammeService
from bot.programme.views import ProgrammeViews
from bot.questions.answering import Answerer
from bot.questions.classifier import classifier_for, untrained
from bot.questions.faq import LearnedEntry, Taught
from bot.questions.faq_service import FaqService
from bot.questions.service import QuestionService
from bot.registration.service import RegistrationService
from bot.reminders.service import ReminderService
from storage.database import Database


@dataclass(frozen=True)
class EventContent:
    """A programme with what is derived from it, swapped as one piece when the programme changes."""

    programme: Programme
    answerer: Answerer
    views: ProgrammeViews
    taught: Taught = field(default_factory=Taught)  # learned FAQ entries of every event
    learned: dict[int, LearnedEntry] = field(default_factory=dict)  # those of this event, by id

    @classmethod
    def build(
        cls, programme: Programme, texts: Texts, taught: Taught | None = None
    ) -> EventContent:
        taught = taught or Taught()
        # The model is trained off the event loop (`Services.swap_programme`); until then the
        # question's words answer alone.
        answerer = Answerer(programme, learned=taught.topics(programme), train=False)
        learned = taught.entries_of(programme.event_key)
        return cls(programme, answerer, ProgrammeViews(programme, texts), taught, learned)


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
    _training: asyncio.Task[None] | None = field(default=None, init=False)

    @cached_property
    def error_reports(self) -> ErrorReports:
        return ErrorReports()

    @cached_property
    def flood_control(self) -> FloodControl:
        return FloodControl(self.settings.flood.max_updates, self.settings.flood.window)

    @cached_property
    def event(self) -> EventContext:
        """The one place that reads the current programme for every service."""
        return EventContext(
            self.database,
            self.clock,
            self.texts,
            self.settings.event.default_language,
            lambda: self.content.programme,
        )

    @cached_property
    def fanout(self) -> Fanout:
        return Fanout(self.database, self.settings.event.default_language, self.outbox.wake)

    @cached_property
    def users(self) -> UserService:
        return UserService(self.database, self.visitors, self.settings.event.default_language)

    @cached_property
    def registrations(self) -> RegistrationService:
        return RegistrationService(self.event)

    @cached_property
    def partners(self) -> PartnerService:
        return PartnerService(self.database, self.clock, lambda: self.event.event_key)

    @cached_property
    def organisers(self) -> OrganiserService:
        return OrganiserService(self.database, self.clock, self.admin_ids)

    @cached_property
    def announcements(self) -> AnnouncementService:
        return AnnouncementService(self.event, self.outbox.drop_broadcast)

    @cached_property
    def announcement_progress(self) -> AnnouncementProgress:
        return AnnouncementProgress(
            self.announcements, self.texts, self.budget, self.settings.event.default_language
        )

    @cached_property
    def reminders(self) -> ReminderService:
        return ReminderService(self.event, self.fanout)

    @cached_property
    def privacy(self) -> PrivacyService:
        return PrivacyService(
            self.event,
            self.registrations,
            retention_days=self.settings.privacy.retention_days,
            admin_ids=self.admin_ids,
        )

    @cached_property
    def checkin(self) -> CheckinService:
        return CheckinService(self.event)

    @cached_property
    def dashboard(self) -> DashboardService:
        return DashboardService(
            self.event,
            self.token,
            self.settings.dashboard.auth_max_age,
            organisers=self.organisers,
            users=self.users,
            registrations=self.registrations,
            checkin=self.checkin,
            feedback=self.feedback,
            reminders=self.reminders,
        )

    @cached_property
    def feedback(self) -> FeedbackService:
        return FeedbackService(self.event, self.fanout)

    @cached_property
    def programme(self) -> ProgrammeService:
        return ProgrammeService(
            self.event,
            self.settings.event.programme_file,
            self.swap_programme,
            self.registrations,
            self.fanout,
        )

    @cached_property
    def questions(self) -> QuestionService:
        return QuestionService(self.event)

    @cached_property
    def faq(self) -> FaqService:
        return FaqService(self.event, self.swap_taught)

    def start_training(self) -> None:
        """Trains the answerer's model in the background after a start, when no model for these
        examples exists yet: meanwhile the words answer alone."""
        programme = self.content.programme
        if untrained(programme):
            self._training = asyncio.create_task(self._train(programme))

    async def _train(self, programme: Programme) -> None:
        await asyncio.to_thread(classifier_for, programme)
        if self.content.programme is programme:  # not reloaded meanwhile
            self.content = EventContent.build(programme, self.texts, self.content.taught)

    async def stop_training(self) -> None:
        if self._training is not None:
            await self._training  # the thread cannot be stopped: at most its second or two

    async def swap_programme(self, programme: Programme) -> None:
        """Everything derived from the programme changes at once, so no handler sees a mix.
        The answerer's model is trained first, off the event loop: it takes a second or two."""
        await asyncio.to_thread(classifier_for, programme)
        self.content = EventContent.build(programme, self.texts, self.content.taught)

    def swap_taught(self, taught: Taught) -> None:
        """Learned FAQ entries changed: the answerer is rebuilt with them at once."""
        self.content = EventContent.build(self.content.programme, self.texts, taught)
