"""Registrations and the seat history behind the confirmations chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import EventRecord, Organisation, Registration, SeatChange, User

# The organisation's current name for a partner who came by invite, else the name as written
# (`Registration.organisation_name` in SQL), so a renamed organisation is listed by its new name.
CURRENT_ORGANISATION = func.coalesce(
    select(Organisation.name)
    .where(Organisation.id == Registration.organisation_id)
    .correlate(Registration)
    .scalar_subquery(),
    Registration.organisation,
)

# What the organisers' list shows of a registration: plain columns, named as the model's
# attributes, so a page builds no ORM objects (it is read in the loop that answers partners).
LISTED_COLUMNS = (
    Registration.id,
    Registration.status,
    Registration.name,
    CURRENT_ORGANISATION.label("organisation_name"),
    Registration.persons,
    Registration.dietary,
    Registration.dietary_note,
    Registration.accessibility,
    Registration.language,
    Registration.consent_at,
    Registration.registered_at,
    Registration.changed_at,
    Registration.ticket_token,
    Registration.checked_in_at,
    Registration.checked_in_persons,
    Registration.checked_in_by,
)

# The orders the organisers' list offers, each ending with the id so pages never overlap.
LISTING_ORDERS = {
    "name": (func.lower(Registration.name), Registration.id),
    "organisation": (func.lower(func.coalesce(CURRENT_ORGANISATION, "")), Registration.id),
    "persons": (Registration.persons.desc(), Registration.id),
    "registered": (Registration.registered_at.desc(), Registration.id.desc()),
    "changed": (Registration.changed_at.desc(), Registration.id.desc()),
}


@dataclass(frozen=True)
class Listing:
    """Which registrations the organisers' list shows: a status tab, one organisation, an order."""

    status: str | None = None  # None: every status
    organisation: str | None = None
    order: str = "name"
    offset: int = 0
    limit: int = 50


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

    async def seat_history_mark(self, event_key: str) -> tuple[int, int | None]:
        """(entries, newest id) of the seat history: changes whenever the history does."""
        row = (
            await self._session.execute(
                select(func.count(SeatChange.id), func.max(SeatChange.id)).where(
                    SeatChange.event_key == event_key
                )
            )
        ).one()
        return int(row[0]), row[1]

    def _listed(self, event_key: str, listing: Listing) -> Select[tuple[Registration]]:
        query = select(Registration).where(Registration.event_key == event_key)
        if listing.status is not None:
            query = query.where(Registration.status == listing.status)
        if listing.organisation is not None:
            query = query.where(listing.organisation == CURRENT_ORGANISATION)
        return query

    async def page(
        self, event_key: str, listing: Listing, total: int | None = None
    ) -> tuple[list[Row[Any]], int]:
        """One page of the list (`LISTED_COLUMNS`) and how many rows the whole list has: paged
        in SQL, so a list of thousands costs one page's rows. A `total` the caller knows is not
        counted."""
        query = self._listed(event_key, listing)
        if total is None:
            total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.execute(
            query.with_only_columns(*LISTED_COLUMNS)
            .order_by(*LISTING_ORDERS.get(listing.order, LISTING_ORDERS["name"]))
            .offset(listing.offset)
            .limit(listing.limit)
        )
        return list(rows), int(total or 0)

    async def by_ids(self, ids: list[int]) -> list[Row[Any]]:
        """These registrations' `LISTED_COLUMNS`."""
        rows = await self._session.execute(select(*LISTED_COLUMNS).where(Registration.id.in_(ids)))
        return list(rows)

    async def tabs(self, event_key: str) -> list[tuple[str, str | None, int]]:
        """(status, organisation, parties) of the event's registrations: the list's tab counts
        and its organisations in one read, as every page of the list asks for both."""
        listed = (
            select(Registration.status, CURRENT_ORGANISATION.label("organisation"))
            .where(Registration.event_key == event_key)
            .subquery()
        )
        rows = await self._session.execute(
            select(listed.c.status, listed.c.organisation, func.count()).group_by(
                listed.c.status, listed.c.organisation
            )
        )
        return [(status, organisation, int(parties)) for status, organisation, parties in rows]

    async def directory(self, event_key: str) -> list[tuple[int, str, str | None, int, str]]:
        """(id, name, organisation, persons, status) of every registration of the event, as
        plain columns: a search's candidates, its tab counts and organisations in one read."""
        rows = await self._session.execute(
            select(
                Registration.id,
                Registration.name,
                CURRENT_ORGANISATION,
                Registration.persons,
                Registration.status,
            ).where(Registration.event_key == event_key)
        )
        return [(id_, name, org, persons, status) for id_, name, org, persons, status in rows]
