"""Tickets and door check-in: the registrations' token and check-in columns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Registration, User

CONFIRMED = "confirmed"


class TicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_token(self, event_key: str, token: str) -> Registration | None:
        """The confirmed registration this ticket belongs to; an old or unknown token finds none."""
        return await self._session.scalar(
            select(Registration).where(
                Registration.event_key == event_key,
                Registration.ticket_token == token,
                Registration.status == CONFIRMED,
            )
        )

    async def get(self, registration_id: int) -> Registration | None:
        return await self._session.get(Registration, registration_id, populate_existing=True)

    async def confirmed(self, event_key: str) -> list[tuple[int, str, str | None, int]]:
        """(id, name, organisation, persons) of the confirmed registrations, for the door search.

        Only these columns: loading whole rows made a search over 1,500 registrations take
        ten times as long as the matching itself.
        """
        rows = await self._session.execute(
            select(
                Registration.id, Registration.name, Registration.organisation, Registration.persons
            )
            .where(Registration.event_key == event_key, Registration.status == CONFIRMED)
            .order_by(Registration.id)
        )
        return [(id_, name, organisation, persons) for id_, name, organisation, persons in rows]

    async def check_in(
        self, registration_id: int, token: str, persons: int, organiser_id: int, now: datetime
    ) -> bool:
        """Check in once, in one conditional UPDATE: of two organisers tapping at the same moment
        one wins, and a button whose ticket was replaced or cancelled meanwhile changes nothing."""
        result = await self._session.execute(
            update(Registration)
            .where(
                Registration.id == registration_id,
                Registration.ticket_token == token,
                Registration.status == CONFIRMED,
                Registration.checked_in_at.is_(None),
                Registration.persons >= persons,
            )
            .values(checked_in_at=now, checked_in_by=organiser_id, checked_in_persons=persons)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def undo_check_in(self, registration_id: int, token: str) -> bool:
        """Undo a check-in made by mistake, in one conditional UPDATE like the check-in: of two
        organisers undoing at once one does it, and a replaced ticket changes nothing."""
        result = await self._session.execute(
            update(Registration)
            .where(
                Registration.id == registration_id,
                Registration.ticket_token == token,
                Registration.checked_in_at.is_not(None),
            )
            .values(checked_in_at=None, checked_in_by=None, checked_in_persons=None)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def checked_in_figures(self, event_key: str) -> tuple[int, int]:
        """(parties, persons) checked in at the door."""
        row = (
            await self._session.execute(
                select(
                    func.count(), func.coalesce(func.sum(Registration.checked_in_persons), 0)
                ).where(
                    Registration.event_key == event_key, Registration.checked_in_at.is_not(None)
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def checked_in_partners(self, event_key: str) -> list[tuple[Registration, User]]:
        """Reachable partners who were at the event, for the thank-you after it."""
        rows = await self._session.execute(
            select(Registration, User)
            .join(User, User.id == Registration.user_id)
            .where(
                Registration.event_key == event_key,
                Registration.checked_in_at.is_not(None),
                User.reachable,
            )
            .order_by(Registration.id)
        )
        return [(registration, user) for registration, user in rows]

    async def was_checked_in(self, event_key: str, user_id: int) -> bool:
        found = await self._session.scalar(
            select(Registration.id).where(
                Registration.event_key == event_key,
                Registration.user_id == user_id,
                Registration.checked_in_at.is_not(None),
            )
        )
        return found is not None
