"""The counts behind /status: how many of everything, never who."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Organisation, OutboxMessage, OutboxState, User


class StatusRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def organisations(self) -> int:
        return await self._count(select(func.count()).select_from(Organisation))

    async def linked_partners(self) -> int:
        """Users an invite linked to a partner organisation."""
        return await self._count(
            select(func.count()).select_from(User).where(User.organisation_id.is_not(None))
        )

    async def users(self) -> int:
        return await self._count(select(func.count()).select_from(User))

    async def pending_outbox(self) -> int:
        """Announcements and reminders still to be sent (of any partner, reachable or not)."""
        return await self._count(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.PENDING)
        )

    async def _count(self, statement: object) -> int:
        return int(await self._session.scalar(statement) or 0)  # type: ignore[call-overload]
