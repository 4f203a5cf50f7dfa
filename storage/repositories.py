"""Repositories: the only place that knows SQL. Handlers and services speak to these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.feedback import FeedbackRepository
from storage.models import EventRecord, QuestionRelay, Registration, SeatChange, User
from storage.outbox import OutboxRepository
from storage.partners import InviteRepository, OrganisationRepository, OrganiserRepository
from storage.personal_data import PersonalDataRepository
from storage.status import StatusRepository
from storage.tickets import TicketRepository


@dataclass(frozen=True)
class Visitor:
    """What Telegram tells us about a user on every update."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    telegram_language: str | None


@dataclass(frozen=True)
class Visit:
    """A visitor's latest details, seen first and last at these moments since the last write."""

    visitor: Visitor
    first_seen: datetime
    last_seen: datetime


_VISIT_COLUMNS = ("first_name", "last_name", "username", "telegram_language", "last_seen")


def _visit_values(visitor: Visitor, now: datetime) -> dict[str, object]:
    """What a visit writes over the stored user (the columns of `_VISIT_COLUMNS`), cut to the
    columns' lengths: one visit that does not fit would hold up the whole batch."""
    return {
        "first_name": visitor.first_name[:255],
        "last_name": visitor.last_name[:255] if visitor.last_name else None,
        "username": visitor.username[:64] if visitor.username else None,
        "telegram_language": visitor.telegram_language[:35] if visitor.telegram_language else None,
        "last_seen": now,
    }


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_visit(self, visitor: Visitor, now: datetime) -> User:
        """One visit written at once (the bot batches them, see `storage.visits`); the user."""
        await self.record_visits([Visit(visitor, now, now)])
        user = await self._session.get(User, visitor.id, populate_existing=True)
        assert user is not None  # just written in this transaction
        return user

    async def record_visits(self, visits: Sequence[Visit]) -> None:
        """Create or refresh users, safe against a concurrent first visit of the same user; a
        visitor who writes again is reachable again, and `first_seen` is kept once stored."""
        if not visits:
            return
        # One statement for any number of rows (executemany), so it is compiled once.
        insert = insert_for(self._session)(User.__table__)
        refreshed = {name: insert.excluded[name] for name in _VISIT_COLUMNS}
        statement = insert.on_conflict_do_update(
            index_elements=[User.id], set_={**refreshed, "reachable": True}
        )
        rows = [
            {
                "id": visit.visitor.id,
                "first_seen": visit.first_seen,
                "reachable": True,
                **_visit_values(visit.visitor, visit.last_seen),
            }
            for visit in visits
        ]
        await self._session.execute(statement, rows)

    async def language_choices(self) -> dict[int, str]:
        """The users who picked a language with /language, and their choice."""
        rows = await self._session.execute(
            select(User.id, User.language).where(User.language.is_not(None))
        )
        return {user_id: language for user_id, language in rows}

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def set_language(self, user_id: int, language: str) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(language=language)
        )

    async def mark_unreachable(self, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(reachable=False))

    async def set_reminders(self, user_id: int, enabled: bool) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(reminders_enabled=enabled)
        )

    async def remember_organisation(self, user_id: int, organisation: str | None) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(organisation=organisation)
        )

    async def link_organisation(self, user_id: int, organisation_id: int, name: str) -> None:
        """An invite was redeemed; the name is remembered for the RSVP like a typed one."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(organisation_id=organisation_id, organisation=name)
        )

    async def count_without_registration(self, event_key: str) -> int:
        """People who talked to the bot but have not answered the invitation."""
        answered = select(Registration.user_id).where(Registration.event_key == event_key)
        count = await self._session.scalar(
            select(func.count()).select_from(User).where(User.id.not_in(answered))
        )
        return count or 0


class RelayRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        user_id: int,
        question: str,
        organiser_chat_id: int,
        organiser_message_id: int,
        now: datetime,
    ) -> QuestionRelay:
        relay = QuestionRelay(
            user_id=user_id,
            question=question,
            organiser_chat_id=organiser_chat_id,
            organiser_message_id=organiser_message_id,
            created_at=now,
        )
        self._session.add(relay)
        await self._session.flush()
        return relay

    async def find(self, organiser_chat_id: int, organiser_message_id: int) -> QuestionRelay | None:
        return await self._session.scalar(
            select(QuestionRelay).where(
                QuestionRelay.organiser_chat_id == organiser_chat_id,
                QuestionRelay.organiser_message_id == organiser_message_id,
            )
        )

    async def mark_answered(self, relay_id: int, now: datetime) -> None:
        await self._session.execute(
            update(QuestionRelay).where(QuestionRelay.id == relay_id).values(answered_at=now)
        )


@dataclass(frozen=True)
class StatusCount:
    status: str
    parties: int
    persons: int


class RegistrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sync_event(self, event_key: str, capacity: int) -> None:
        """Create the event row, or take over a capacity changed in the programme file."""
        insert = insert_for(self._session)
        await self._session.execute(
            insert(EventRecord)
            .values(key=event_key, capacity=capacity, confirmed_persons=0)
            .on_conflict_do_update(index_elements=[EventRecord.key], set_={"capacity": capacity})
        )

    async def seats_left(self, event_key: str) -> int:
        event = await self._session.get(EventRecord, event_key, populate_existing=True)
        return max(0, event.capacity - event.confirmed_persons) if event else 0

    async def take_seats(self, event_key: str, persons: int, now: datetime) -> bool:
        """Reserve seats if they are free, in one conditional UPDATE.

        The database serialises concurrent updates of the row (PostgreSQL re-checks the
        condition after waiting for the row lock; SQLite has one writer at a time), so two
        partners can never both get the last seat.
        """
        taken = await self._session.scalar(
            update(EventRecord)
            .where(
                EventRecord.key == event_key,
                EventRecord.confirmed_persons + persons <= EventRecord.capacity,
            )
            .values(confirmed_persons=EventRecord.confirmed_persons + persons)
            .returning(EventRecord.confirmed_persons)
        )
        if taken is None:
            return False
        self._session.add(SeatChange(event_key=event_key, at=now, confirmed_persons=taken))
        return True

    async def free_seats(self, event_key: str, persons: int, now: datetime) -> None:
        remaining = await self._session.scalar(
            update(EventRecord)
            .where(EventRecord.key == event_key)
            .values(confirmed_persons=EventRecord.confirmed_persons - persons)
            .returning(EventRecord.confirmed_persons)
        )
        self._session.add(SeatChange(event_key=event_key, at=now, confirmed_persons=remaining))

    async def for_user(self, event_key: str, user_id: int) -> Registration | None:
        return await self._session.scalar(
            select(Registration).where(
                Registration.event_key == event_key, Registration.user_id == user_id
            )
        )

    def add(self, registration: Registration) -> None:
        self._session.add(registration)

    async def waitlist(self, event_key: str) -> list[Registration]:
        """Waitlisted registrations, first come first served."""
        result = await self._session.scalars(
            select(Registration)
            .where(Registration.event_key == event_key, Registration.status == "waitlisted")
            .order_by(Registration.waitlisted_at, Registration.id)
        )
        return list(result)

    async def all(self, event_key: str) -> list[Registration]:
        result = await self._session.scalars(
            select(Registration)
            .where(Registration.event_key == event_key)
            .order_by(Registration.registered_at, Registration.id)
        )
        return list(result)

    async def count_by_status(self, event_key: str) -> dict[str, StatusCount]:
        rows = await self._session.execute(
            select(
                Registration.status, func.count(), func.coalesce(func.sum(Registration.persons), 0)
            )
            .where(Registration.event_key == event_key)
            .group_by(Registration.status)
        )
        return {status: StatusCount(status, parties, persons) for status, parties, persons in rows}

    async def partners(
        self,
        event_key: str,
        status: str,
        *,
        registered_by: datetime | None = None,
        wanting_reminders: bool = False,
    ) -> list[tuple[Registration, User]]:
        """Reachable partners with a registration in `status`, for reminders and updates."""
        query = (
            select(Registration, User)
            .join(User, User.id == Registration.user_id)
            .where(
                Registration.event_key == event_key,
                Registration.status == status,
                User.reachable,
            )
            .order_by(Registration.id)
        )
        if registered_by is not None:
            query = query.where(Registration.registered_at <= registered_by)
        if wanting_reminders:
            query = query.where(User.reminders_enabled)
        return [(registration, user) for registration, user in await self._session.execute(query)]

    async def raise_calendar_sequence(self, event_key: str) -> None:
        """The programme changed: every confirmed partner's calendar entry gets a newer version."""
        await self._session.execute(
            update(Registration)
            .where(Registration.event_key == event_key, Registration.status == "confirmed")
            .values(calendar_sequence=Registration.calendar_sequence + 1)
        )

    async def seat_history(self, event_key: str) -> list[tuple[datetime, int]]:
        rows = await self._session.execute(
            select(SeatChange.at, SeatChange.confirmed_persons)
            .where(SeatChange.event_key == event_key)
            .order_by(SeatChange.at, SeatChange.id)
        )
        return [(at, persons) for at, persons in rows]


class Repositories:
    """All repositories over one session, so a user action is one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.relays = RelayRepository(session)
        self.registrations = RegistrationRepository(session)
        self.outbox = OutboxRepository(session)
        self.organisations = OrganisationRepository(session)
        self.invites = InviteRepository(session)
        self.organisers = OrganiserRepository(session)
        self.personal_data = PersonalDataRepository(session)
        self.status = StatusRepository(session)
        self.tickets, self.feedback = TicketRepository(session), FeedbackRepository(session)
