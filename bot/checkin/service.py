"""The door: tickets by token, checking a party in once, and the figures for the organisers.

Every decision is taken again from the database at the moment it matters (a scan, a tap), so a
forged or outdated button, a replaced ticket or a second organiser changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeGuard

from bot.checkin.search import Candidate, SearchResult, search
from bot.checkin.tickets import Ticket
from bot.core.event_context import EventContext
from bot.registration.rules import Status
from storage.models import Registration
from storage.repositories import Repositories


class CheckinOutcome(StrEnum):
    CHECKED_IN = "checked_in"
    UNDONE = "undone"  # the check-in was taken back; the party may check in again
    ALREADY = "already"  # someone checked this party in before
    NOT_CHECKED_IN = "not_checked_in"  # an undo found nothing to undo (someone else undid it)
    INVALID = "invalid"  # cancelled, changed (new ticket) or never a ticket


@dataclass(frozen=True)
class CheckinResult:
    outcome: CheckinOutcome
    ticket: Ticket | None = None


@dataclass(frozen=True)
class CheckinRecord:
    """For the export: when, and how many of the party came in."""

    at: datetime
    persons: int


class CheckinService:
    def __init__(self, event: EventContext) -> None:
        self._event = event
        self._database, self._clock = event.database, event.clock

    def _valid(self, row: Registration | None) -> TypeGuard[Registration]:
        """A confirmed registration of this event, with a ticket."""
        return (
            row is not None
            and row.event_key == self._event.event_key
            and row.status == Status.CONFIRMED
            and row.ticket_token is not None
        )

    async def ticket_of(self, user_id: int) -> Ticket | None:
        """The partner's valid ticket, or None without a confirmed registration."""
        async with self._database.transaction() as repositories:
            row = await repositories.registrations.for_user(self._event.event_key, user_id)
            return await _ticket(repositories, row) if self._valid(row) else None

    async def scan(self, token: str) -> Ticket | None:
        async with self._database.transaction() as repositories:
            row = await repositories.checkin.by_token(self._event.event_key, token)
            return await _ticket(repositories, row) if row is not None else None

    async def ticket(self, registration_id: int) -> Ticket | None:
        async with self._database.transaction() as repositories:
            row = await repositories.checkin.get(registration_id)
            return await _ticket(repositories, row) if self._valid(row) else None

    async def check_in(
        self, registration_id: int, token: str, persons: int, organiser_id: int
    ) -> CheckinResult:
        async with self._database.transaction() as repositories:
            done = await repositories.checkin.check_in(
                registration_id, token, persons, organiser_id, self._clock.now()
            )
            row = await repositories.checkin.get(registration_id)
            if row is None or row.event_key != self._event.event_key or row.ticket_token != token:
                return CheckinResult(CheckinOutcome.INVALID)
            ticket = await _ticket(repositories, row)
        if done:
            return CheckinResult(CheckinOutcome.CHECKED_IN, ticket)
        if ticket.checked_in:
            return CheckinResult(CheckinOutcome.ALREADY, ticket)
        return CheckinResult(CheckinOutcome.INVALID)

    async def undo(self, registration_id: int, token: str) -> CheckinResult:
        """Take back a check-in made by mistake (wrong party, wrong count)."""
        async with self._database.transaction() as repositories:
            done = await repositories.checkin.undo_check_in(registration_id, token)
            row = await repositories.checkin.get(registration_id)
            if not self._valid(row) or row.ticket_token != token:
                return CheckinResult(CheckinOutcome.INVALID)
            ticket = await _ticket(repositories, row)
        if done:
            return CheckinResult(CheckinOutcome.UNDONE, ticket)
        return CheckinResult(CheckinOutcome.NOT_CHECKED_IN, ticket)

    async def find(self, query: str) -> SearchResult:
        """Confirmed partners whose name or organisation looks like the query."""
        async with self._database.transaction() as repositories:
            rows = await repositories.checkin.confirmed(self._event.event_key)
        return search(query, [Candidate(*row) for row in rows])

    async def figures(self) -> tuple[int, int]:
        """(parties, persons) checked in."""
        async with self._database.transaction() as repositories:
            return await self.figures_in(repositories)

    async def figures_in(self, repositories: Repositories) -> tuple[int, int]:
        """`figures` inside a transaction the caller has open."""
        return await repositories.checkin.checked_in_figures(self._event.event_key)

    async def records(self) -> dict[int, CheckinRecord]:
        """Check-ins by registration id."""
        async with self._database.transaction() as repositories:
            rows = await repositories.registrations.all(self._event.event_key)
            return {
                row.id: CheckinRecord(row.checked_in_at, row.checked_in_persons or row.persons)
                for row in rows
                if row.checked_in_at is not None
            }


async def _ticket(repositories: Repositories, row: Registration) -> Ticket:
    organiser = None
    if row.checked_in_by is not None:
        user = await repositories.users.get(row.checked_in_by)
        organiser = user.first_name if user is not None else None
    return Ticket(
        registration_id=row.id,
        user_id=row.user_id,
        token=row.ticket_token or "",
        name=row.name,
        organisation=row.organisation_name,
        persons=row.persons,
        language=row.language,
        checked_in_at=row.checked_in_at,
        checked_in_persons=row.checked_in_persons,
        checked_in_by=organiser,
    )
