"""Registering, changing and cancelling, each in one database transaction.

The conversation in `handlers/registration/conversation.py` collects answers; this module decides
what they mean for seats and the waitlist, and returns plain snapshots so no session outlives the
transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.checkin.tickets import new_ticket_token
from bot.core.event_context import EventContext
from bot.programme.model import Language
from bot.registration.rules import Dietary, Status, Window, choose_promotions, registration_window
from storage.models import Organisation, Registration
from storage.registration import RegistrationRepository, StatusCount
from storage.repositories import Repositories


@dataclass(frozen=True)
class RsvpAnswers:
    """What the partner answered in the conversation."""

    attending: bool
    name: str
    organisation: str | None = None
    persons: int = 1
    dietary: Dietary | None = None
    dietary_note: str | None = None
    accessibility: str | None = None
    language: Language = "de"
    waitlist_ok: bool = False


@dataclass(frozen=True)
class RegistrationView:
    """A registration as it was when the transaction committed."""

    id: int
    user_id: int
    status: Status
    name: str
    organisation: str | None
    persons: int
    dietary: Dietary | None
    dietary_note: str | None
    accessibility: str | None
    language: Language
    calendar_uid: str
    calendar_sequence: int
    registered_at: datetime
    changed_at: datetime

    @classmethod
    def of(cls, row: Registration) -> RegistrationView:
        return cls(
            id=row.id,
            user_id=row.user_id,
            status=Status(row.status),
            name=row.name,
            organisation=row.organisation_name,
            persons=row.persons,
            dietary=Dietary(row.dietary) if row.dietary else None,
            dietary_note=row.dietary_note,
            accessibility=row.accessibility,
            language="en" if row.language == "en" else "de",
            calendar_uid=row.calendar_uid,
            calendar_sequence=row.calendar_sequence,
            registered_at=row.registered_at,
            changed_at=row.changed_at,
        )


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    FULL = "full"  # not enough seats and the waitlist was not accepted: nothing was stored
    QUOTA = "quota"  # colleagues took the organisation's places meanwhile: nothing was stored
    CLOSED = "closed"  # past the deadline, and there is no registration to change
    OVER = "over"  # the event has begun
    NOTHING = "nothing"  # nothing to cancel


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    registration: RegistrationView | None = None
    seats_left: int = 0
    promoted: list[RegistrationView] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """Figures for the organisers' statistics."""

    capacity: int
    seats_left: int
    by_status: dict[str, StatusCount]
    not_answered: int
    history: list[tuple[datetime, int]]

    def persons(self, status: Status) -> int:
        count = self.by_status.get(status)
        return count.persons if count else 0

    def parties(self, status: Status) -> int:
        count = self.by_status.get(status)
        return count.parties if count else 0


class RegistrationService:
    """The registration desk of the current event."""

    def __init__(self, event: EventContext) -> None:
        self._event = event
        self._database, self._clock = event.database, event.clock

    def window(self) -> Window:
        return registration_window(self._event.programme, self._clock.now())

    async def sync_event(self) -> None:
        """Make the event's row match the programme file (called at start and on reload)."""
        async with self._database.transaction() as repositories:
            await repositories.registrations.sync_event(
                self._event.event_key, self._event.programme.event.capacity
            )

    async def current(self, user_id: int) -> RegistrationView | None:
        async with self._database.transaction() as repositories:
            row = await repositories.registrations.for_user(self._event.event_key, user_id)
            return RegistrationView.of(row) if row else None

    async def seats_left(self) -> int:
        async with self._database.transaction() as repositories:
            return await repositories.registrations.seats_left(self._event.event_key)

    async def remembered_organisation(self, user_id: int) -> str | None:
        async with self._database.transaction() as repositories:
            user = await repositories.users.get(user_id)
            return user.organisation if user else None

    async def submit(self, user_id: int, answers: RsvpAnswers) -> Result:
        """Store a new or changed answer; seats are taken or freed in the same transaction."""
        window = self.window()
        if window is Window.OVER:
            return Result(Outcome.OVER)
        now, key = self._clock.now(), self._event.event_key
        async with self._database.transaction() as repositories:
            seats = repositories.registrations
            row = await seats.for_user(key, user_id)
            active = row is not None and row.status in (Status.CONFIRMED, Status.WAITLISTED)
            if window is Window.CHANGES_ONLY and not active:
                return Result(Outcome.CLOSED)
            held = row.persons if row is not None and row.status == Status.CONFIRMED else 0
            wanted = answers.persons if answers.attending else 0
            if wanted > held:
                quota = await repositories.organisations.quota_of(user_id, key, lock=True)
                if quota is not None and wanted > quota[1]:
                    return Result(Outcome.QUOTA, RegistrationView.of(row) if row else None)
            freed = 0
            if not answers.attending:
                status, freed = Status.DECLINED, held
            elif wanted <= held:
                status, freed = Status.CONFIRMED, held - wanted
            elif await seats.take_seats(key, wanted - held, now):
                status = Status.CONFIRMED
            elif answers.waitlist_ok and not held:
                status = Status.WAITLISTED
            else:
                left = await seats.seats_left(key)
                return Result(Outcome.FULL, RegistrationView.of(row) if row else None, left)
            if freed:
                await seats.free_seats(key, freed, now)
            row = self._write(row, user_id, answers, status, now, seats)
            row.linked_organisation = await self._invited_organisation(repositories, user_id)
            await repositories.users.remember_organisation(user_id, answers.organisation)
            await repositories.session.flush()
            promoted = await self._promote(repositories, now) if freed else []
            view = RegistrationView.of(row)
            left = await seats.seats_left(key)
        return Result(Outcome(status.value), view, left, promoted)

    @staticmethod
    async def _invited_organisation(
        repositories: Repositories, user_id: int
    ) -> Organisation | None:
        """The organisation of the partner's invite: the registration shows its current name."""
        user = await repositories.users.get(user_id)
        if user is None or user.organisation_id is None:
            return None
        return await repositories.organisations.get(user.organisation_id)

    async def cancel(self, user_id: int) -> Result:
        if self.window() is Window.OVER:
            return Result(Outcome.OVER)
        now, key = self._clock.now(), self._event.event_key
        async with self._database.transaction() as repositories:
            row = await repositories.registrations.for_user(key, user_id)
            if row is None or row.status not in (Status.CONFIRMED, Status.WAITLISTED):
                return Result(Outcome.NOTHING)
            freed = row.persons if row.status == Status.CONFIRMED else 0
            row.status, row.changed_at, row.waitlisted_at = Status.CANCELLED, now, None
            row.calendar_sequence += 1
            row.ticket_token = None  # the old ticket no longer opens the door
            if freed:
                await repositories.registrations.free_seats(key, freed, now)
            await repositories.session.flush()
            promoted = await self._promote(repositories, now) if freed else []
            view = RegistrationView.of(row)
            left = await repositories.registrations.seats_left(key)
        return Result(Outcome.CANCELLED, view, left, promoted)

    async def summary(self) -> Summary:
        async with self._database.transaction() as repositories:
            return await self.summary_in(repositories)

    async def summary_in(
        self,
        repositories: Repositories,
        history: list[tuple[datetime, int]] | None = None,
    ) -> Summary:
        """`summary` inside a transaction the caller has open; with the seat history given
        (the dashboard keeps it while it has not changed), it is not read again."""
        key = self._event.event_key
        seats = repositories.registrations
        return Summary(
            capacity=self._event.programme.event.capacity,
            seats_left=await seats.seats_left(key),
            by_status=await seats.count_by_status(key),
            not_answered=await repositories.users.count_without_registration(key),
            history=await seats.seat_history(key) if history is None else history,
        )

    async def all(self) -> list[RegistrationView]:
        async with self._database.transaction() as repositories:
            rows = await repositories.registrations.all(self._event.event_key)
            return [RegistrationView.of(row) for row in rows]

    def _write(
        self,
        row: Registration | None,
        user_id: int,
        answers: RsvpAnswers,
        status: Status,
        now: datetime,
        seats: RegistrationRepository,
    ) -> Registration:
        if row is None:
            row = Registration(
                event_key=self._event.event_key,
                user_id=user_id,
                registered_at=now,
                calendar_uid=secrets.token_hex(16),
                calendar_sequence=0,
            )
            seats.add(row)
        elif row.status == Status.CONFIRMED or status == Status.CONFIRMED:
            row.calendar_sequence += 1  # the calendar entry changes: newer SEQUENCE
        if status == Status.WAITLISTED and row.status != Status.WAITLISTED:
            row.waitlisted_at = now
        elif status != Status.WAITLISTED:
            row.waitlisted_at = None
        row.status = status
        # Every change makes a new ticket (sent with the confirmation); the old one stops working.
        row.ticket_token = new_ticket_token() if status == Status.CONFIRMED else None
        row.name = answers.name
        row.organisation = answers.organisation
        row.persons = answers.persons
        row.dietary = answers.dietary.value if answers.dietary else None
        row.dietary_note = answers.dietary_note
        row.accessibility = answers.accessibility
        row.language = answers.language
        row.consent_at = now
        row.changed_at = now
        return row

    async def _promote(self, repositories: Repositories, now: datetime) -> list[RegistrationView]:
        """Move waitlisted partners up into freed seats, in order, skipping parties too large."""
        seats, key = repositories.registrations, self._event.event_key
        waiting = await seats.waitlist(key)
        promoted = choose_promotions(waiting, await seats.seats_left(key))
        for row in promoted:
            if not await seats.take_seats(key, row.persons, now):
                break  # cannot happen inside this transaction; never oversell if it does
            row.status, row.changed_at, row.waitlisted_at = Status.CONFIRMED, now, None
            row.calendar_sequence += 1
            row.ticket_token = new_ticket_token()
        await repositories.session.flush()
        return [RegistrationView.of(row) for row in promoted if row.status == Status.CONFIRMED]
