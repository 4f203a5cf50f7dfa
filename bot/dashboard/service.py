"""What the organisers' dashboard shows and does, through the same services as the chat.

One rule, two faces: the figures are those of /stats (`RegistrationService.summary`,
`CheckinService.figures`, `FeedbackService.summary`), the search is the door's
(`bot/checkin/search.py`), check-in and undo are `CheckinService`'s. This module only signs in,
gathers and pages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row

from bot.checkin.search import Candidate, search
from bot.checkin.service import CheckinService
from bot.core.event_context import EventContext
from bot.core.users import UserService
from bot.dashboard.chart import chart_points
from bot.dashboard.sessions import Session, Sessions
from bot.dashboard.signin import LaunchUser, SigninError, check_init_data
from bot.feedback.service import FeedbackService
from bot.organisers.service import OrganiserService
from bot.partners.invites import FailedCodes
from bot.programme.model import Language
from bot.registration.service import RegistrationService, Summary
from bot.reminders.service import ReminderService
from storage.models import Registration
from storage.registration import Listing
from storage.repositories import Repositories

log = logging.getLogger(__name__)

PAGE_SIZE = 50
FAILURE_LIMIT = 10  # failed sign-ins per client address in the window before it is slowed down
FAILURE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Overview:
    summary: Summary
    checked_in_parties: int
    checked_in_persons: int
    feedback_count: int
    feedback_average: float | None
    next_reminder: datetime | None
    pending_outbox: int


@dataclass(frozen=True)
class RegistrationRow:
    """A registration as the dashboard shows it, read in one transaction."""

    id: int
    status: str
    name: str
    organisation: str | None
    persons: int
    dietary: str | None
    dietary_note: str | None
    accessibility: str | None
    language: str
    consent_at: datetime | None
    registered_at: datetime
    changed_at: datetime
    has_ticket: bool
    checked_in_at: datetime | None
    checked_in_persons: int | None
    checked_in_by: str | None  # the organiser's first name

    @classmethod
    def of(cls, row: Registration | Row[Any], names: dict[int, str]) -> RegistrationRow:
        """From the model, or from a row of `LISTED_COLUMNS` (named as its attributes)."""
        return cls(
            id=row.id,
            status=row.status,
            name=row.name,
            organisation=row.organisation_name,
            persons=row.persons,
            dietary=row.dietary,
            dietary_note=row.dietary_note,
            accessibility=row.accessibility,
            language=row.language,
            consent_at=row.consent_at,
            registered_at=row.registered_at,
            changed_at=row.changed_at,
            has_ticket=row.ticket_token is not None,
            checked_in_at=row.checked_in_at,
            checked_in_persons=row.checked_in_persons,
            checked_in_by=names.get(row.checked_in_by) if row.checked_in_by else None,
        )


@dataclass(frozen=True)
class RegistrationPage:
    rows: list[RegistrationRow]
    total: int  # rows in the whole list (all pages)
    counts: dict[str, int]  # parties per status, for the tabs
    organisations: list[str]


@dataclass(frozen=True)
class Admission:
    """A request's signed-in user: their language, and whether they may still be let in."""

    session: Session
    language: Language
    organiser: bool


class SignedOut(Exception):
    """Sign-in refused: not genuine, not recent, or not an organiser. Carries no detail."""

    def __init__(self, reason: str, user: LaunchUser | None = None) -> None:
        super().__init__(reason)
        self.user = user


class DashboardService:
    def __init__(
        self,
        event: EventContext,
        token: str,
        auth_max_age: timedelta,
        *,
        organisers: OrganiserService,
        users: UserService,
        registrations: RegistrationService,
        checkin: CheckinService,
        feedback: FeedbackService,
        reminders: ReminderService,
    ) -> None:
        self._event = event
        self._token = token
        self._auth_max_age = auth_max_age
        self._organisers = organisers
        self._users = users
        self._registrations = registrations
        self._checkin = checkin
        self._feedback = feedback
        self._reminders = reminders
        self.sessions = Sessions()
        self.failures: FailedCodes[str] = FailedCodes(FAILURE_LIMIT, FAILURE_WINDOW)
        self._chart_cache: tuple[tuple[int, int | None], list[tuple[datetime, int]]] | None = None

    def now(self) -> datetime:
        return self._event.clock.now()

    async def sign_in(self, init_data: str) -> Session:
        """A session for an organiser's genuine, recent launch data; SignedOut otherwise."""
        now = self.now()
        try:
            user = check_init_data(init_data, self._token, now, self._auth_max_age)
        except SigninError as error:
            raise SignedOut(error.refusal.value) from None
        if not await self._organisers.is_organiser(user.id):
            raise SignedOut("not_organiser", user)
        return self.sessions.start(user.id, user.first_name, user.language_code, now)

    async def admit(self, token: str | None) -> Admission | None:
        """Who asks with this token (None: unknown or expired), in which language, and whether
        they are an organiser now. Asked at every request, so it reads at most one user and one
        organiser row in one transaction, and nothing for an admin whose language memory knows."""
        session = self.sessions.find(token, self.now())
        if session is None:
            return None
        user_id = session.user_id
        language = self._users.remembered_language(user_id, session.app_language)
        if language is not None and self._organisers.is_admin(user_id):
            return Admission(session, language, organiser=True)
        async with self._event.database.reading() as repositories:
            organiser = await self._organisers.is_organiser_in(repositories, user_id)
            if language is None:
                language = await self._users.language_in(
                    repositories, user_id, session.app_language
                )
        return Admission(session, language, organiser)

    async def language_of(self, session: Session) -> Language:
        """The organiser's language in the bot (/language), else Telegram's."""
        return await self._users.language_of(session.user_id, session.app_language)

    async def overview(self) -> Overview:
        """The figures of /stats in one transaction, the chart thinned to `CHART_POINTS`."""
        async with self._event.database.reading() as repositories:
            chart = await self._chart(repositories)
            summary = await self._registrations.summary_in(repositories, history=chart)
            parties, persons = await self._checkin.figures_in(repositories)
            feedback = await self._feedback.summary_in(repositories)
            pending = await repositories.status.pending_outbox()
        return Overview(
            summary=summary,
            checked_in_parties=parties,
            checked_in_persons=persons,
            feedback_count=feedback.count,
            feedback_average=feedback.average,
            next_reminder=self._reminders.next_due(),
            pending_outbox=pending,
        )

    async def _chart(self, repositories: Repositories) -> list[tuple[datetime, int]]:
        """The thinned seat history, read and thinned again only when it has changed: every
        open overview asks for it every few seconds, and it holds a row per seat change."""
        seats, key = repositories.registrations, self._event.event_key
        mark = await seats.seat_history_mark(key)
        if self._chart_cache is None or self._chart_cache[0] != mark:
            self._chart_cache = (mark, chart_points(await seats.seat_history(key)))
        return self._chart_cache[1]

    async def registrations(self, listing: Listing, query: str = "") -> RegistrationPage:
        """One page of registrations; with a query, the door's matching ranks them instead."""
        key = self._event.event_key
        async with self._event.database.reading() as repositories:
            seats = repositories.registrations
            if query.strip():
                directory = await seats.directory(key)
                counts, organisations = _tabs((row[4], row[2], 1) for row in directory)
                candidates = [
                    Candidate(id_, name, organisation, persons)
                    for id_, name, organisation, persons, status in directory
                    if listing.status in (None, status)
                    and listing.organisation in (None, organisation)
                ]
                ids = [match.registration_id for match in search(query, candidates).matches]
                found = {row.id: row for row in await seats.by_ids(ids)}
                rows, total = [found[id_] for id_ in ids if id_ in found], len(ids)
            else:
                counts, organisations = _tabs(await seats.tabs(key))
                # Without an organisation the tabs' counts are the list's length already.
                known = None if listing.organisation else _listed_count(counts, listing.status)
                rows, total = await seats.page(key, listing, known)
            names = await _organiser_names(repositories, rows)
        return RegistrationPage(
            [RegistrationRow.of(row, names) for row in rows], total, counts, organisations
        )

    async def registration(self, registration_id: int) -> RegistrationRow | None:
        """One registration of this event, for its details."""
        async with self._event.database.reading() as repositories:
            row = await repositories.checkin.get(registration_id)
            if row is None or row.event_key != self._event.event_key:
                return None
            return RegistrationRow.of(row, await _organiser_names(repositories, [row]))


def _tabs(groups: Iterable[tuple[str, str | None, int]]) -> tuple[dict[str, int], list[str]]:
    """Parties per status, and the organisations sorted, from (status, organisation, parties)."""
    counts: dict[str, int] = {}
    names: set[str] = set()
    for status, organisation, parties in groups:
        counts[status] = counts.get(status, 0) + parties
        if organisation is not None:
            names.add(organisation)
    return counts, sorted(names, key=lambda name: (name.casefold(), name))


def _listed_count(counts: dict[str, int], status: str | None) -> int:
    return counts.get(status, 0) if status is not None else sum(counts.values())


async def _organiser_names(
    repositories: Repositories, rows: Sequence[Registration | Row[Any]]
) -> dict[int, str]:
    """First names of the organisers who checked these rows in."""
    names = {}
    for user_id in {row.checked_in_by for row in rows if row.checked_in_by is not None}:
        user = await repositories.users.get(user_id)
        if user is not None:
            names[user_id] = user.first_name
    return names
